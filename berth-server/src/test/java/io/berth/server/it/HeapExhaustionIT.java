package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, item 1, as it was found: the packaged server with the launcher's heap ({@code -Xmx160m
 * -XX:+ExitOnOutOfMemoryError}) died of three or four concurrent unauthenticated 29 MB {@code POST /} bodies. Here
 * eight such bodies are sent in full at once, then six signed UploadLayerPart requests of the largest size ECR allows
 * (a 20 MiB part, 28 MB of JSON) at once. The process must stay up, answer every one of them with an AWS error
 * (refused from its headers, throttled by the in-flight budget, or the upload unknown), and answer {@code /healthz}.
 */
class HeapExhaustionIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:([0-9]+))");
    private static final int PART = 20 * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void concurrentLargestBodies_160MiBHeap_serverSurvivesAndAnswersEach() throws Exception {
        Path jar = Path.of("target", "berth.jar");
        assertThat(Files.exists(jar)).as("the packaged server %s", jar).isTrue();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx160m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "serve",
                "--listen", "127.0.0.1:0", "--data", data.toString()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("BERTH_ROOT_ACCESS_KEY_ID", TestServer.ROOT_KEY_ID,
                "BERTH_ROOT_SECRET_ACCESS_KEY", TestServer.ROOT_SECRET));
        Process process = pb.start();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            int port = awaitStart(process);
            byte[] unsignedBody = new byte[29_000_000];
            Arrays.fill(unsignedBody, (byte) 'a');
            List<Future<String>> unauthenticated = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Map<String, String> h = AwsRaw.with(AwsRaw.unsigned(port, "UploadLayerPart"), "content-length",
                        String.valueOf(unsignedBody.length));
                unauthenticated.add(pool.submit(sendWhole(port, AwsRaw.head(h), unsignedBody, pool)));
            }
            for (Future<String> f : unauthenticated) {
                assertThat(f.get(60, TimeUnit.SECONDS)).as("an unauthenticated 29 MB POST /")
                        .contains("MissingAuthenticationTokenException");
            }
            assertThat(process.isAlive()).as("server alive after 8 concurrent 29 MB unauthenticated bodies").isTrue();

            byte[] part = new byte[PART];
            Arrays.fill(part, (byte) 7);
            byte[] signedBody = ("{\"repositoryName\":\"heap/app\",\"uploadId\":\"00000000-0000-4000-8000-000000000000\","
                    + "\"partFirstByte\":0,\"partLastByte\":" + (PART - 1) + ",\"layerPartBlob\":\""
                    + Base64.getEncoder().encodeToString(part) + "\"}").getBytes(StandardCharsets.US_ASCII);
            List<Future<String>> signed = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Map<String, String> h = AwsRaw.with(AwsRaw.signed(port, "UploadLayerPart", signedBody),
                        "content-length", String.valueOf(signedBody.length));
                signed.add(pool.submit(sendWhole(port, AwsRaw.head(h), signedBody, pool)));
            }
            for (Future<String> f : signed) {
                assertThat(f.get(120, TimeUnit.SECONDS)).as("a signed 28 MB UploadLayerPart")
                        .containsAnyOf("UploadNotFoundException", "RepositoryNotFoundException",
                                "ThrottlingException");
            }
            assertThat(process.isAlive()).as("server alive after 6 concurrent signed 28 MB bodies").isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("/healthz afterwards").isEqualTo(200);
        } finally {
            pool.shutdownNow();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Sends head and the whole body (ignoring a close mid-send, the server may refuse early); returns the answer. */
    private static Callable<String> sendWhole(int port, String head, byte[] body, ExecutorService pool) {
        return () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(90_000);
                OutputStream out = s.getOutputStream();
                Future<?> writing = pool.submit(() -> {
                    try {
                        out.write(head.getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    } catch (IOException refusedEarly) {
                        // the server answered and closed before the body was sent: what a refusal should do
                    }
                });
                AwsRaw.Response r = AwsRaw.read(s.getInputStream(), System.nanoTime());
                writing.cancel(true);
                return r.status() + " " + r.body();
            }
        };
    }

    private static int awaitStart(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(2));
            }
        }
        throw new IllegalStateException("the server printed no start line within 60 s");
    }
}
