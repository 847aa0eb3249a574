package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replication lag (issue 12 §2: push to pullable at the destination, p50 and p99, under a steady push load; ECR
 * promises "most within 30 minutes"). One Berth of its own serves {@code us-east-1} and {@code eu-west-1}
 * ({@code BERTH_REGIONS}) and has a cross-region rule (PutReplicationConfiguration, signed here with SigV4). Small
 * images are pushed to us-east-1 at a steady rate by one thread while another polls each pushed tag's manifest at
 * eu-west-1, which the server picks by the Host name ({@code BERTH_REGISTRY_REGION_HOSTS}). An image's lag runs from
 * its manifest PUT's 201 to the first 200 of that GET at the destination. Berth only, and only a server it starts.
 */
final class ReplicationBench {
    static final String WEST_HOST = "eu-west-1.bench.invalid";
    static final Map<String, String> ENV = env();
    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.PutReplicationConfiguration";
    private static final String REPO = "bench/replication";
    private static final long POLL_MS = 10;
    private static final long GIVE_UP_MS = 120_000;

    /** The lags in ms, and the push rate held. */
    record Result(Measurement p50, Measurement p99, Measurement max, int images, double pushesPerSecond) {
        String line() {
            return String.format(Locale.ROOT, "push → pullable in eu-west-1 over %d images pushed at %.1f/s: "
                    + "p50 %s, p99 %s, max %s (ECR: most within 30 minutes)", images, pushesPerSecond, p50.display(),
                    p99.display(), max.display());
        }
    }

    /** Pushes per second the pusher holds: a steady load well below the push figures' ceiling. */
    static final int RATE = 10;

    private final Options opt;

    ReplicationBench(Options opt) {
        this.opt = opt;
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(AccessBench.ENV);
        env.put("BERTH_REGIONS", "us-east-1,eu-west-1");
        env.put("BERTH_REGISTRY_REGION_HOSTS", WEST_HOST + "=eu-west-1");
        return Map.copyOf(env);
    }

    Result run() throws Exception {
        try (RegistryServer s = RegistryServer.launch(Report.BERTH, opt.berthCmd, opt.root, ENV)) {
            s.authorization = AccessBench.BASIC;
            configure(s);
            return measure(s, opt.images);
        }
    }

    /** One rule: every repository of {@code bench/} to eu-west-1 of the same account. */
    private static void configure(RegistryServer s) throws IOException {
        byte[] body = ("{\"replicationConfiguration\":{\"rules\":[{\"destinations\":[{\"region\":\"eu-west-1\","
                + "\"registryId\":\"000000000000\"}],\"repositoryFilters\":[{\"filter\":\"bench/\","
                + "\"filterType\":\"PREFIX_MATCH\"}]}]}}").getBytes(StandardCharsets.UTF_8);
        try (HttpConn c = new HttpConn(s.host, s.port)) {
            BlobBench.expect(c.send("POST", "/", EncryptedBench.signed(c.hostHeader(), TARGET, body), body), 200,
                    "PutReplicationConfiguration");
        }
    }

    private record Pushed(String tag, long at) { }

    private Result measure(RegistryServer s, int n) throws Exception {
        List<PushBench.Image> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(PushBench.image(REPO, "r" + i, 2, 4096));
        }
        ConcurrentLinkedQueue<Pushed> pushed = new ConcurrentLinkedQueue<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] span = new long[2];
        Thread pusher = new Thread(() -> {
            long period = 1_000_000_000L / RATE;
            long start = System.nanoTime();
            try (HttpConn c = s.connect()) {
                for (int i = 0; i < n; i++) {
                    long due = start + i * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    PushBench.push(c, images.get(i));
                    pushed.add(new Pushed(images.get(i).tag(), System.nanoTime()));
                }
                span[0] = start;
                span[1] = System.nanoTime();
            } catch (Exception e) {
                failure.set(e);
            }
        }, "replication-bench-pusher");
        pusher.start();
        List<Double> lags = new ArrayList<>(n);
        List<Pushed> waiting = new ArrayList<>();
        long lastProgress = System.nanoTime();
        try (HttpConn west = new HttpConn(s.host, s.port, AccessBench.BASIC, WEST_HOST)) {
            while (lags.size() < n) {
                if (failure.get() != null) {
                    throw failure.get();
                }
                for (Pushed p; (p = pushed.poll()) != null; ) {
                    waiting.add(p);
                }
                for (var it = waiting.iterator(); it.hasNext(); ) {
                    Pushed p = it.next();
                    HttpConn.Response r = west.send("GET", "/v2/" + REPO + "/manifests/" + p.tag(),
                            Map.of("Accept", PushBench.ACCEPT));
                    if (r.status() == 200) {
                        lags.add((System.nanoTime() - p.at()) / 1e6);
                        it.remove();
                        lastProgress = System.nanoTime();
                    } else if (r.status() != 404) {
                        throw new IOException("GET " + p.tag() + " at eu-west-1 answered " + r.status());
                    }
                }
                if ((System.nanoTime() - lastProgress) / 1_000_000 > GIVE_UP_MS) {
                    throw new IOException(waiting.size() + " images not replicated within " + GIVE_UP_MS / 1000
                            + " s (" + lags.size() + " were)");
                }
                Thread.sleep(POLL_MS);
            }
        } finally {
            pusher.join(GIVE_UP_MS);
        }
        Collections.sort(lags);
        double seconds = (span[1] - span[0]) / 1e9;
        return new Result(Measurement.single(percentile(lags, 0.50), "ms"),
                Measurement.single(percentile(lags, 0.99), "ms"), Measurement.single(lags.get(n - 1), "ms"), n,
                n / seconds);
    }

    /** The nearest-rank percentile of sorted {@code values}. */
    static double percentile(List<Double> values, double q) {
        int rank = (int) Math.ceil(q * values.size());
        return values.get(Math.max(0, Math.min(values.size() - 1, rank - 1)));
    }
}
