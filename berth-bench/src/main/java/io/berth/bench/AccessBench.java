package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What access control costs on the hot path: the manifest GET by tag on Berth with authentication off
 * ({@code --insecure-no-auth}), on (root key:secret as Basic, no policy: the evaluation is skipped), and on with a
 * ten-statement repository policy (evaluated on every request: the root is allowed, but only after every Deny
 * statement, some with conditions, has been checked). Authentication off and on need servers of their own. The
 * policy is set and deleted with {@code berth admin} while the auth-on server runs, as an operator would, and the
 * no-policy and policy measurements alternate {@link #PAIRS} times on that one server, medians reported, so JIT
 * warm-up and the machine's drift do not favour whichever runs last.
 */
final class AccessBench {
    static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    /** Given to a launched Berth, which bootstraps its root key from them. */
    static final Map<String, String> ENV = Map.of("BERTH_ROOT_ACCESS_KEY_ID", KEY_ID,
            "BERTH_ROOT_SECRET_ACCESS_KEY", SECRET);
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((KEY_ID + ":" + SECRET)
            .getBytes(StandardCharsets.UTF_8));
    static final String REPO = "bench/manifest";

    /** Ten statements of the kinds real repository policies have; none denies the benchmark's root caller. */
    static final String TEN_STATEMENT_POLICY = """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"PullFromProd","Effect":"Allow","Principal":{"AWS":"111122223333"},
              "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]},
             {"Sid":"PushFromCi","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ci"},
              "Action":["ecr:PutImage","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload"]},
             {"Sid":"ListFromOffice","Effect":"Allow","Principal":"*","Action":"ecr:ListImages",
              "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
             {"Sid":"PullFromPartners","Effect":"Allow","Principal":{"AWS":["222233334444","333344445555"]},
              "Action":"ecr:BatchGetImage"},
             {"Sid":"AdminOverTls","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:*",
              "Condition":{"Bool":{"aws:SecureTransport":"true"}}},
             {"Sid":"OnlyFromHere","Effect":"Deny","Principal":"*","Action":"ecr:*",
              "Condition":{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128","192.168.0.0/16"]}}},
             {"Sid":"BlockFormerPartner","Effect":"Deny","Principal":{"AWS":"555566667777"},"Action":"ecr:*"},
             {"Sid":"NoRepositoryDelete","Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository"},
             {"Sid":"NoPlainPush","Effect":"Deny","Principal":"*","Action":"ecr:PutImage",
              "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
             {"Sid":"BlockOldRoot","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::666677778888:root"},
              "Action":"ecr:BatchGetImage"}]}""";

    static final int PAIRS = 3;

    record Result(String label, LoadBench.Result load) {}

    private final Options opt;

    AccessBench(Options opt) {
        this.opt = opt;
    }

    List<Result> run() throws Exception {
        List<Result> out = new ArrayList<>();
        try (RegistryServer off = RegistryServer.launch("berth-no-auth",
                Options.DEFAULT_BERTH_CMD + " --insecure-no-auth", opt.root)) {
            push(off);
            out.add(new Result("authentication off", measure(off)));
        }
        try (RegistryServer on = RegistryServer.launch("berth-auth", Options.DEFAULT_BERTH_CMD, opt.root, ENV)) {
            on.authorization = BASIC;
            push(on); // before the policy: its NoPlainPush statement denies pushes over plain HTTP
            List<LoadBench.Result> none = new ArrayList<>();
            List<LoadBench.Result> policy = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                none.add(measure(on));
                admin(on.data(), "set-repository-policy", "--policy-document", TEN_STATEMENT_POLICY);
                policy.add(measure(on));
                admin(on.data(), "delete-repository-policy");
            }
            out.add(new Result("authentication on, no policy" + runs(none), median(none)));
            out.add(new Result("authentication on, 10-statement repository policy" + runs(policy), median(policy)));
        }
        return out;
    }

    /**
     * Pushes the image, then drives an untimed load as long as a measurement: each configuration is measured on a
     * JIT-warm server, so the order of the measurements does not decide the ratios.
     */
    private void push(RegistryServer s) throws Exception {
        PushBench.Image img = PushBench.image(REPO, "latest", 2, 4096);
        try (HttpConn c = s.connect()) {
            PushBench.push(c, img);
        }
        measure(s);
    }

    private LoadBench.Result measure(RegistryServer s) throws Exception {
        return new LoadBench(s, opt).run("/v2/" + REPO + "/manifests/latest", PushBench.ACCEPT, opt.getSeconds);
    }

    private static String runs(List<LoadBench.Result> runs) {
        return " (median of " + runs.stream().map(r -> Long.toString(Math.round(r.rps())))
                .collect(java.util.stream.Collectors.joining(", ")) + " req/s)";
    }

    /** The run with the median req/s. */
    private static LoadBench.Result median(List<LoadBench.Result> runs) {
        List<LoadBench.Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(LoadBench.Result::rps));
        return sorted.get(sorted.size() / 2);
    }

    /** Runs {@code ./berth admin <command> --repository REPO <args> --data <data>}, then waits out the poll. */
    private void admin(Path data, String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("./berth", "admin", command, "--repository", REPO));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data", data.toString()));
        Process p = new ProcessBuilder(cmd).directory(opt.root.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("berth admin " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        Thread.sleep(1500); // another process changed the policy: the server's cache polls every second
    }

    /** Markdown lines: each configuration's req/s, p50, p99 and its ratio to authentication off. */
    static List<String> render(List<Result> results) {
        List<String> md = new ArrayList<>();
        md.add("| configuration | req/s | p50 (ms) | p99 (ms) | vs. authentication off | errors |");
        md.add("|---|---|---|---|---|---|");
        double base = results.isEmpty() ? Double.NaN : results.get(0).load().rps();
        for (Result r : results) {
            LoadBench.Result l = r.load();
            md.add(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.3f× | %d |", r.label(), l.rps(),
                    l.p50Ms(), l.p99Ms(), l.rps() / base, l.errors()));
        }
        if (results.size() == 3) {
            md.add("");
            md.add(String.format(Locale.ROOT, "Cost of the repository policy against authentication on without one: "
                    + "%.1f%% fewer req/s (target < 10%%).", 100 * (1 - results.get(2).load().rps()
                    / results.get(1).load().rps())));
        }
        return md;
    }
}
