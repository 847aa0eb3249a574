package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * berth-bench: starts CNCF distribution and Berth one after the other, runs the same OCI-API scenarios against
 * each, and writes a side-by-side markdown report with ratios and Berth's targets.
 */
public final class Main {

    private final Options opt;
    private final Report report;

    private Main(Options opt) {
        this.opt = opt;
        this.report = new Report(opt);
    }

    public static void main(String[] args) {
        Options opt;
        try {
            opt = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("berth-bench: " + e.getMessage() + "\n");
            }
            System.err.println(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        String problem = preflight(opt);
        if (problem != null) {
            System.err.println("berth-bench: " + problem);
            System.exit(1);
        }
        try {
            new Main(opt).run();
        } catch (Exception e) {
            System.err.println("berth-bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static String preflight(Options opt) {
        if (opt.wants(Report.DIST) && opt.distributionUrl == null
                && opt.distributionCmd.startsWith(Options.DISTRIBUTION_BIN)
                && !Files.isExecutable(Path.of(Options.DISTRIBUTION_BIN))) {
            return "CNCF distribution is not installed (" + Options.DISTRIBUTION_BIN + " is missing).\n"
                    + "Install it with:  apt-get install docker-registry\n"
                    + "(or benchmark Berth alone with --only berth)";
        }
        if (opt.wants(Report.BERTH) && opt.berthUrl == null && opt.berthCmd.equals(Options.DEFAULT_BERTH_CMD)
                && !Files.isExecutable(opt.root.resolve("berth"))) {
            return "the Berth launcher " + opt.root.resolve("berth") + " does not exist (or is not executable).\n"
                    + "Build Berth first, or use --berth-cmd CMD, --berth-url URL, or --only distribution.";
        }
        if (opt.load.equals("wrk") && !Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            return "--load wrk needs /usr/bin/wrk (apt-get install wrk), or use --load java";
        }
        return null;
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        System.out.println("berth-bench " + (opt.quick ? "(quick) " : "") + "— " + Machine.summary() + ", java "
                + System.getProperty("java.runtime.version"));
        if (opt.runs("sha")) {
            report.sha = step("machine", "JVM SHA-256, one thread, " + opt.shaMiB + " MiB", () -> ShaBench.run(
                    opt.shaMiB), Measurement::display);
        }
        RegistryServer.warmUpClient();
        if (opt.wants(Report.BERTH) && opt.berthUrl == null && opt.berthCmd.startsWith("./berth ")) {
            // The launcher builds the jar and its class-data archive on first use: do that untimed, so the start-up
            // and RSS figures are those of a server start, not of a build or a training run.
            step(Report.BERTH, "preparing the launcher (build and class-data archive, untimed)", () -> {
                Process p = new ProcessBuilder("./berth", "--version").directory(opt.root.toFile())
                        .redirectErrorStream(true).start();
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                return p.waitFor();
            }, rc -> rc == 0 ? "ready" : "exit " + rc);
        }
        byte[] blob = null;
        if (opt.runs("upload") || opt.runs("chunked") || opt.runs("download") || opt.runs("encrypted")) {
            int mib = opt.blobMiB;
            blob = step("machine", "generating a " + mib + " MiB random blob", () -> BlobBench.randomBlob(mib),
                    b -> "done");
        }
        for (int round = 1; round <= opt.rounds; round++) {
            List<String> order = round % 2 == 1 ? List.of(Report.DIST, Report.BERTH, Report.BERTH_PG)
                    : List.of(Report.BERTH_PG, Report.BERTH, Report.DIST);
            if (opt.rounds > 1) {
                System.out.println("--- round " + round + " of " + opt.rounds);
            }
            for (String reg : order) {
                if (opt.wants(reg)) {
                    benchmark(reg, blob);
                }
            }
        }
        if (opt.accessCost && opt.wants(Report.BERTH)) {
            List<AccessBench.Result> access = step(Report.BERTH, "access control cost: manifest GET with "
                    + "authentication off / on / on with a 10-statement repository policy",
                    () -> new AccessBench(opt).run(), r -> String.join("; ", r.stream().map(x -> x.label() + " "
                            + Math.round(x.load().rps()) + " req/s").toList()));
            if (access != null) {
                report.access(AccessBench.render(access));
            }
        }
        if (opt.runs("lifecycle") && opt.wants(Report.BERTH)) {
            String line = step(Report.BERTH, "lifecycle evaluation: " + opt.lifecycleImages + " images, 10 rules "
                    + "(./berth bench-lifecycle)", this::lifecycleBench, l -> l.replaceFirst("^bench-lifecycle: ", ""));
            if (line != null) {
                report.lifecycle(line.replaceFirst("^bench-lifecycle: ", ""));
            }
        }
        if (opt.runs("catalog-scale") && opt.wants(Report.BERTH) && opt.berthUrl == null) {
            List<CatalogScaleBench.Row> rows = step(Report.BERTH, "catalog at scale: 1000 and " + opt.catalogScaleRepos
                    + " repositories (filled by ./berth bench-catalog), _catalog and DescribeRepositories pages",
                    () -> new CatalogScaleBench(opt).run(), r -> String.join("; ", r.stream().map(x -> x.repos()
                            + ": " + String.join(" / ", x.all().stream().map(Measurement::display).toList())).toList()));
            if (rows != null) {
                report.catalogScale(CatalogScaleBench.render(rows));
            }
        }
        if (opt.runs("scanning") && opt.wants(Report.BERTH)) {
            String line = step(Report.BERTH, "scanning: a typical image, and 10,000 stored inventories rematched "
                    + "(./berth bench-scanning)", () -> berthFigure("bench-scanning"),
                    l -> l.replaceFirst("^bench-scanning: ", ""));
            if (line != null) {
                report.scanning(line.replaceFirst("^bench-scanning: ", ""));
            }
        }
        if (opt.runs("replication") && opt.wants(Report.BERTH) && opt.berthUrl == null && !opt.berthNoAuth) {
            ReplicationBench.Result r = step(Report.BERTH, "replication lag: a Berth serving us-east-1 and eu-west-1, "
                    + opt.images + " pushes at " + ReplicationBench.RATE + "/s, each polled at eu-west-1",
                    () -> new ReplicationBench(opt).run(), ReplicationBench.Result::line);
            if (r != null) {
                report.replication(r.line());
            }
        }
        String md = report.render((System.nanoTime() - t0) / 1e9);
        Path file = report.write(md);
        System.out.println();
        System.out.println(md);
        System.out.println("written to " + file);
    }

    private void benchmark(String reg, byte[] blob) {
        boolean dist = reg.equals(Report.DIST);
        String url = dist ? opt.distributionUrl : reg.equals(Report.BERTH) ? opt.berthUrl : null;
        String cmd = dist ? opt.distributionCmd : opt.berthCmd;
        Map<String, String> auth = dist || opt.berthNoAuth ? Map.of() : AccessBench.ENV;
        Map<String, String> env = reg.equals(Report.BERTH_PG) ? opt.postgresEnv(auth) : auth;
        String loadBefore = Machine.loadAverage();
        RegistryServer s = step(reg, url != null ? "connecting to " + url : "starting",
                () -> url != null ? RegistryServer.external(reg, url) : RegistryServer.launch(reg, cmd, opt.root, env),
                srv -> srv.managed() ? String.format(Locale.ROOT, "answered GET /v2/ %.0f ms after start (port %d)",
                        srv.startupMs, srv.port) : "answered GET /v2/");
        if (s == null) {
            return;
        }
        if (!dist && !opt.berthNoAuth) {
            s.authorization = AccessBench.BASIC; // Berth authenticates: every request sends the root key:secret
        }
        try (s) {
            report.describe(reg, s.description);
            if (s.managed()) {
                report.put(reg, Figure.STARTUP, Measurement.single(s.startupMs, "ms"));
            }
            scenarios(reg, s, blob);
            if (s.managed()) {
                Measurement rss = Measurement.single(s.peakRssMiB(), "MiB");
                report.put(reg, Figure.PEAK_RSS, rss);
                System.out.println("[" + reg + "] peak RSS over the run: " + rss.display());
            }
        }
        String loadAfter = Machine.loadAverage();
        report.load(reg + " " + loadBefore + " → " + loadAfter);
        System.out.println("[" + reg + "] stopped (load average " + loadBefore + " → " + loadAfter + ")");
    }

    private void scenarios(String reg, RegistryServer s, byte[] blob) {
        BlobBench blobs = new BlobBench(s, opt, blob);
        String size = opt.blobMiB + " MiB";
        if (opt.runs("upload")) {
            figure(reg, Figure.UPLOAD_MONO, "upload monolithic " + size, blobs::uploadMonolithic);
        }
        if (opt.runs("chunked")) {
            figure(reg, Figure.UPLOAD_CHUNKED, "upload chunked " + size + " in " + opt.chunkMiB + " MiB PATCHes",
                    blobs::uploadChunked);
        }
        if (opt.runs("download")) {
            figure(reg, Figure.DOWNLOAD, "download " + size, blobs::download);
        }
        if (opt.runs("encrypted") && reg.equals(Report.BERTH) && !opt.berthNoAuth) {
            EncryptedBench.Result e = step(reg, "upload and download " + size + " into a KMS and an AES256 "
                    + "repository", () -> new EncryptedBench(s, opt, blob).run(), EncryptedBench.Result::line);
            if (e != null) {
                report.encryption(e.line());
            }
        }
        PushBench push = new PushBench(s);
        if (opt.runs("push1")) {
            figure(reg, Figure.PUSH_1, "push " + opt.images + " small images, 1 connection",
                    () -> push.run("bench/push1", opt.images, 1));
        }
        if (opt.runs("push8")) {
            figure(reg, Figure.PUSH_N, "push " + opt.images + " small images, " + opt.pushConnections
                    + " connections", () -> push.run("bench/push" + opt.pushConnections, opt.images,
                    opt.pushConnections));
        }
        LoadBench load = new LoadBench(s, opt);
        if (opt.runs("manifest")) {
            LoadBench.Result r = step(reg, "manifest GET by tag, " + opt.getConnections + " connections, "
                    + opt.getSeconds + " s", () -> {
                        PushBench.Image img = PushBench.image("bench/manifest", "latest", 2, 4096);
                        try (HttpConn c = s.connect()) {
                            PushBench.push(c, img);
                        }
                        return load.run("/v2/bench/manifest/manifests/latest", PushBench.ACCEPT, opt.getSeconds);
                    }, LoadBench::describe);
            if (r != null) {
                String note = errorNote(r);
                report.put(reg, Figure.MANIFEST_RPS, Measurement.single(r.rps(), "req/s").withNote(note));
                report.put(reg, Figure.MANIFEST_P50, Measurement.single(r.p50Ms(), "ms"));
                report.put(reg, Figure.MANIFEST_P99, Measurement.single(r.p99Ms(), "ms"));
            }
        }
        if (opt.runs("v2")) {
            LoadBench.Result r = step(reg, "GET /v2/, " + opt.getConnections + " connections, " + opt.v2Seconds
                    + " s", () -> load.run("/v2/", null, opt.v2Seconds), LoadBench::describe);
            if (r != null) {
                report.put(reg, Figure.V2_RPS, Measurement.single(r.rps(), "req/s").withNote(errorNote(r)));
            }
        }
        if (opt.runs("catalog")) {
            figure(reg, Figure.CATALOG, "_catalog?n=1000 with " + opt.catalogRepos + " repositories",
                    new CatalogBench(s, opt)::run);
        }
    }

    private String errorNote(LoadBench.Result r) {
        if (r.errors() == 0) {
            return "";
        }
        String n = r.errors() + " of " + r.requests() + " responses were errors (non-2xx or socket errors)";
        report.problem(n);
        return n;
    }

    private void figure(String reg, Figure f, String label, Callable<Measurement> c) {
        Measurement m = step(reg, label, c, Measurement::display);
        if (m != null) {
            report.put(reg, f, m);
        }
    }

    /**
     * Runs {@code ./berth bench-lifecycle} (the server's own code over a throw-away database: this tool speaks only
     * HTTP and links no Berth module) and returns the figure line it prints.
     */
    private String lifecycleBench() throws Exception {
        return berthFigure("bench-lifecycle", "--images", String.valueOf(opt.lifecycleImages));
    }

    /** Runs {@code ./berth <command> <args>} and returns the line it prints that starts with {@code command: }. */
    private String berthFigure(String command, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("./berth", command));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(opt.root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        return out.lines().filter(l -> l.startsWith(command + ": ")).findFirst()
                .filter(l -> rc == 0).orElseThrow(() -> new IllegalStateException("berth " + command + " exit " + rc
                        + ": " + out.strip()));
    }

    /** Prints "[reg] label … result (n s)" on one line; on failure prints and records the problem, returns null. */
    private <T> T step(String reg, String label, Callable<T> c, Function<T, String> show) {
        System.out.print("[" + reg + "] " + label + " … ");
        System.out.flush();
        long t0 = System.nanoTime();
        try {
            T v = c.call();
            System.out.printf(Locale.ROOT, "%s  [%.1f s]%n", show.apply(v), (System.nanoTime() - t0) / 1e9);
            return v;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            System.out.println("FAILED: " + msg);
            report.problem("[" + reg + "] " + label + ": " + msg);
            return null;
        }
    }
}
