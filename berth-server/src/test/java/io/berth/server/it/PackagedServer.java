package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a real process ({@code java -jar target/berth.jar serve --insecure-no-auth}) on a random port, for
 * tests that kill it: {@code process.destroyForcibly()} is SIGKILL, no shutdown hook, no flush.
 */
record PackagedServer(Process process, String base) {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:[0-9]+)");

    static PackagedServer start(Path data) throws IOException {
        return start(data, Map.of());
    }

    /** @param env extra environment, such as {@code BERTH_GC_INTERVAL} */
    static PackagedServer start(Path data, Map<String, String> env) throws IOException {
        Path jar = Path.of("target", "berth.jar");
        assertThat(Files.exists(jar)).as("the packaged server %s (built by the package phase)", jar).isTrue();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx128m", "-jar", jar.toString(), "serve",
                "--insecure-no-auth", "--listen", "127.0.0.1:0", "--data", data.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new PackagedServer(process, m.group(1));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server printed no start line within 60 s");
    }
}
