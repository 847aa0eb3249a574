package io.berth.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One registry under test: either a process this tool starts (and stops, and whose memory it watches) or an
 * already running server given by URL.
 */
final class RegistryServer implements AutoCloseable {

    final String name;
    final String host;
    final int port;
    final String description;
    private final Process process;
    private final RssMonitor rss;
    private final Path tmpDir;
    private final Path log;
    /** Milliseconds from process start to the first answered {@code GET /v2/}; NaN when not started by us. */
    final double startupMs;
    /** The {@code Authorization} header every benchmark request sends (Berth with authentication on), or null. */
    String authorization;

    private RegistryServer(String name, String host, int port, String description, Process process, RssMonitor rss,
                           Path tmpDir, Path log, double startupMs) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.description = description;
        this.process = process;
        this.rss = rss;
        this.tmpDir = tmpDir;
        this.log = log;
        this.startupMs = startupMs;
    }

    /** A server that is already running; nothing is started, timed or stopped. */
    static RegistryServer external(String name, String url) throws IOException {
        URI u = URI.create(url);
        if (!"http".equals(u.getScheme())) {
            throw new IllegalArgumentException("only http:// URLs are supported: " + url);
        }
        int port = u.getPort() < 0 ? 80 : u.getPort();
        RegistryServer s = new RegistryServer(name, u.getHost(), port, "already running at " + url, null, null, null,
                null, Double.NaN);
        s.waitReady(null, System.nanoTime(), 10_000);
        return s;
    }

    /**
     * Starts a server from a command template. Placeholders: {port}, {data} (an empty temporary directory) and
     * {config} (a temporary CNCF distribution config.yml for that port and data directory).
     */
    static RegistryServer launch(String name, String template, Path workDir) throws IOException, InterruptedException {
        return launch(name, template, workDir, Map.of());
    }

    /** As {@link #launch(String, String, Path)}, with extra environment variables for the server process. */
    static RegistryServer launch(String name, String template, Path workDir, Map<String, String> env)
            throws IOException, InterruptedException {
        return launch(name, template, workDir, env, data -> { });
    }

    /** What runs on the empty data directory before the server starts (untimed): filling it, say. */
    @FunctionalInterface
    interface Preparation {
        void prepare(Path data) throws IOException, InterruptedException;
    }

    /** As {@link #launch(String, String, Path, Map)}, with {@code prepare} run on the data directory first. */
    static RegistryServer launch(String name, String template, Path workDir, Map<String, String> env,
                                 Preparation prepare) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("berth-bench-" + name + "-");
        Path data = Files.createDirectories(tmp.resolve("data"));
        prepare.prepare(data);
        int port = freePort();
        Path config = tmp.resolve("config.yml");
        Files.writeString(config, distributionConfig(data, port));
        String cmd = template.replace("{port}", Integer.toString(port))
                .replace("{data}", data.toString())
                .replace("{config}", config.toString());
        Path log = tmp.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "exec " + cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        RssMonitor rss = new RssMonitor(p.toHandle());
        RegistryServer s = new RegistryServer(name, "127.0.0.1", port, cmd, p, rss, tmp, log, Double.NaN);
        double ms;
        try {
            ms = s.waitReady(p, t0, 60_000);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new RegistryServer(name, "127.0.0.1", port, cmd, p, rss, tmp, log, ms);
    }

    /**
     * Exercises the code used while timing a start-up (process spawn, process-tree walk, connection attempts, request parsing)
     * so that the first registry started is not penalised by this JVM's class loading and JIT warm-up.
     */
    static void warmUpClient() throws IOException {
        for (int i = 0; i < 3; i++) {
            try {
                new ProcessBuilder("/bin/bash", "-c", "exec /bin/true").start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int port = freePort();
        for (int i = 0; i < 50; i++) {
            ProcessHandle.current().descendants().count();
            try (HttpConn c = new HttpConn("127.0.0.1", port)) {
                c.send("GET", "/v2/", null);
            } catch (IOException expected) {
                // nothing listens there
            }
        }
    }

    static String distributionConfig(Path data, int port) {
        return String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + data,
                "  cache:",
                "    blobdescriptor: inmemory",
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "") ;
    }

    /** Polls {@code GET /v2/} every 10 ms; returns ms since {@code t0} when it is answered with 200 or 401. */
    private double waitReady(Process p, long t0, long timeoutMs) throws IOException {
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IOException(name + " exited with status " + p.exitValue() + " before answering GET /v2/."
                        + logTail());
            }
            try (HttpConn c = new HttpConn(host, port)) {
                int status = c.send("GET", "/v2/", null).status();
                if (status == 200 || status == 401) {
                    return (System.nanoTime() - t0) / 1e6;
                }
                lastError = "GET /v2/ answered " + status;
            } catch (IOException e) {
                lastError = e.toString();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException(name + " did not answer GET /v2/ within " + timeoutMs + " ms (" + lastError + ")"
                + logTail());
    }

    String logTail() {
        if (log == null || !Files.exists(log)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    boolean managed() {
        return process != null;
    }

    /** Peak RSS in MiB of the server's process tree since it started; NaN when not started by us. */
    double peakRssMiB() {
        return rss == null ? Double.NaN : rss.peakMiB();
    }

    HttpConn connect() {
        return new HttpConn(host, port, authorization);
    }

    /** The data directory a launched server was given ({@code {data}}); null for an external one. */
    Path data() {
        return tmpDir == null ? null : tmpDir.resolve("data");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (rss != null) {
            rss.close();
        }
        if (process != null) {
            List<ProcessHandle> kids = process.descendants().toList();
            process.destroy();
            kids.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    kids.forEach(ProcessHandle::destroyForcibly);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tmpDir != null) {
            deleteTree(tmpDir);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("warning: could not delete " + dir + ": " + e);
        }
    }
}
