package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.HttpLimits;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7, item 2: a request body that arrives below {@code http.min-request-rate} (4096 bytes/s) is cut off once
 * the grace (2 s here, 10 s by default) has passed, even from an authenticated client, while a normal upload on the
 * same server is untouched.
 */
class MinimumRequestRateIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(HttpLimits.MIN_REQUEST_RATE_GRACE, "2s");

    @Test
    void authenticatedChunkTrickledAtTwoBytesPerSecond_cutOffWith400AndClose() throws Exception {
        String location = startUpload("rate/trickle");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + server.basicAuth()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            Thread trickler = new Thread(() -> {
                try {
                    for (int i = 0; i < 40; i++) { // at most 20 s, and the server cuts it off long before
                        out.write('x');
                        out.flush();
                        Thread.sleep(500);
                    }
                } catch (Exception closedByServer) {
                    // the point of the test
                }
            }, "trickler");
            trickler.setDaemon(true);
            trickler.start();
            String answer = RawAnswers.untilClosed(s, 15_000);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(answer).as("PATCH of 1,000,000 bytes sent at 2 bytes/s: the answer, after %d s", seconds)
                    .startsWith("HTTP/1.1 400").contains("BLOB_UPLOAD_INVALID").contains("minimum")
                    .containsIgnoringCase("Connection: close");
            assertThat(seconds).as("seconds until the cut (grace 2 s; the idle timeout would be 30 s)")
                    .isBetween(2L, 8L);
        }
        HttpResponse<byte[]> fast = server.send("PATCH", startUpload("rate/fast"), new byte[1024 * 1024],
                "Content-Type", "application/octet-stream");
        assertThat(fast.statusCode()).as("a 1 MiB chunk at loopback speed on the same server: %s", describe(fast))
                .isEqualTo(202);
    }

    private static String startUpload(String repo) throws Exception {
        HttpResponse<byte[]> r = server.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(r.statusCode()).as("start upload: %s", describe(r)).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }
}
