package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop GET load over keep-alive connections for a fixed time, after an untimed warm-up: requests per second
 * and latency percentiles. Driven either by {@code wrk} (a C, epoll-based generator, the lightest client on a
 * machine whose two cores are shared with the server) or by a raw-socket Java client that writes pre-built
 * request bytes, one thread per connection.
 */
final class LoadBench {

    record Result(double rps, double p50Ms, double p99Ms, long requests, long errors) { }

    private final RegistryServer server;
    private final Options opt;

    LoadBench(RegistryServer server, Options opt) {
        this.server = server;
        this.opt = opt;
    }

    Result run(String path, String accept, int seconds) throws Exception {
        return opt.load.equals("wrk") ? runWrk(path, accept, seconds) : runJava(path, accept, seconds);
    }

    // ---- wrk -------------------------------------------------------------------------------------------------

    private Result runWrk(String path, String accept, int seconds) throws Exception {
        String url = "http://" + server.host + ":" + server.port + path;
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), opt.getConnections));
        wrk(url, accept, threads, opt.warmupSeconds, false);
        String out = wrk(url, accept, threads, seconds, true);
        long requests = (long) find(out, "(\\d+) requests in", 1);
        long errors = (long) find(out, "Non-2xx or 3xx responses:\\s+(\\d+)", 0);
        Matcher se = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(se.group(g));
            }
        }
        return new Result(find(out, "Requests/sec:\\s+([\\d.]+)", -1), latency(out, "50%"), latency(out, "99%"),
                requests, errors);
    }

    private String wrk(String url, String accept, int threads, int seconds, boolean latency) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/wrk", "-t" + threads, "-c" + opt.getConnections,
                "-d" + seconds + "s", "--timeout", "10s"));
        if (latency) {
            cmd.add("--latency");
        }
        if (accept != null) {
            cmd.addAll(List.of("-H", "Accept: " + accept));
        }
        if (server.authorization != null) {
            cmd.addAll(List.of("-H", "Authorization: " + server.authorization));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("wrk failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static double find(String out, String regex, double missing) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (m.find()) {
            return Double.parseDouble(m.group(1));
        }
        if (missing < 0) {
            throw new IOException("could not parse wrk output:\n" + out);
        }
        return missing;
    }

    /** Parses a wrk latency-distribution line such as {@code 99%   20.53ms} into milliseconds. */
    private static double latency(String out, String pct) throws IOException {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(pct) + "\\s+([\\d.]+)(us|ms|s)\\b").matcher(out);
        if (!m.find()) {
            throw new IOException("no " + pct + " latency in wrk output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    // ---- raw-socket Java client -------------------------------------------------------------------------------

    private Result runJava(String path, String accept, int seconds) throws Exception {
        int n = opt.getConnections;
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(opt.warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        int[][] lat = new int[n][];
        int[] counts = new int[n];
        AtomicLong errors = new AtomicLong();
        AtomicLong lastFinish = new AtomicLong(end);
        Exception[] failure = new Exception[1];
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            final int id = t;
            threads[t] = new Thread(() -> {
                int[] l = new int[1 << 16];
                int count = 0;
                try (HttpConn c = server.connect()) {
                    byte[] req = c.requestHead("GET", path,
                            accept == null ? null : java.util.Map.of("Accept", accept), -1);
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int status = c.sendRaw(req);
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom) {
                            if (status / 100 != 2) {
                                errors.incrementAndGet();
                            }
                            if (count == l.length) {
                                l = Arrays.copyOf(l, l.length * 2);
                            }
                            l[count++] = (int) Math.min(Integer.MAX_VALUE, (t1 - t0) / 100); // 0.1 µs units
                        }
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
                lastFinish.accumulateAndGet(System.nanoTime(), Math::max);
                lat[id] = l;
                counts[id] = count;
            }, "load-" + t);
            threads[t].start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        int[] all = new int[total];
        int p = 0;
        for (int t = 0; t < n; t++) {
            System.arraycopy(lat[t], 0, all, p, counts[t]);
            p += counts[t];
        }
        Arrays.sort(all);
        double secs = (lastFinish.get() - measureFrom) / 1e9;
        return new Result(total / secs, pct(all, 0.50), pct(all, 0.99), total, errors.get());
    }

    private static double pct(int[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 10_000.0;
    }

    static String describe(Result r) {
        return String.format(Locale.ROOT, "%s req/s, p50 %s ms, p99 %s ms", Measurement.fmt(r.rps()),
                Measurement.fmt(r.p50Ms()), Measurement.fmt(r.p99Ms()));
    }
}
