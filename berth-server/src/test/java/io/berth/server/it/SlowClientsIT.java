package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7, item 2, the bounded load test: 280 unauthenticated connections that send headers with a large
 * Content-Length and then one byte every two seconds, while an authenticated client pushes and pulls images and a
 * prober asks {@code /healthz} four times a second. Before the fix the OCI 401 path drained bodies up to 8 MiB and
 * {@code POST /} read its body before authenticating, so 260 of these held 200 request threads and {@code /healthz}
 * stopped answering. Bounded: 280 sockets, about 16 s, loopback only.
 */
class SlowClientsIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final Duration WINDOW = Duration.ofSeconds(16);
    private static final long TRICKLE_MS = 2_000;

    /** One slow client: its request head is sent at once, its body a byte at a time. */
    private record Slow(String what, Socket socket) {}

    @Test
    void slowUnauthenticatedBodies_healthAnswersWithinOneSecond_andPushPullSucceed() throws Exception {
        List<Slow> slow = new ArrayList<>();
        try {
            // 100 monolithic uploads of 5,000,000 bytes: under the old 8 MiB drain, each held a thread before its 401
            open(slow, 100, "POST /v2/slow/app/blobs/uploads/ (5,000,000 bytes)", "POST /v2/slow/app/blobs/uploads/",
                    5_000_000, "Content-Type: application/octet-stream");
            // 60 manifests of 4 MiB
            open(slow, 60, "PUT /v2/slow/app/manifests/latest (4 MiB)", "PUT /v2/slow/app/manifests/latest",
                    4 * 1024 * 1024, "Content-Type: " + MediaTypes.OCI_MANIFEST);
            // 20 chunks with credentials that do not authenticate
            open(slow, 20, "PATCH with bad Basic credentials", "PATCH /v2/slow/app/blobs/uploads/x", 1_000_000,
                    "Authorization: Basic Zm9vOmJhcg==");
            // 100 ECR calls of 29 MB without a signature
            open(slow, 100, "POST / PutImage (29,000,000 bytes, unsigned)", "POST /", 29_000_000,
                    "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.PutImage",
                    "Content-Type: application/x-amz-json-1.1");
            assertThat(slow).hasSize(280);

            // every /v2 one is refused at once, without its body being read, and told the connection ends
            for (Slow s : slow.subList(0, 180)) {
                String head = RawAnswers.head(s.socket(), 3_000);
                assertThat(head).as("%s without valid credentials: answered before the body arrived", s.what())
                        .startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close")
                        .containsIgnoringCase("WWW-Authenticate: Basic");
            }

            AtomicBoolean done = new AtomicBoolean();
            Thread trickler = new Thread(() -> trickle(slow, done), "slow-clients");
            trickler.setDaemon(true);
            trickler.start();
            ConcurrentLinkedQueue<String> probeFailures = new ConcurrentLinkedQueue<>();
            long[] slowestProbeMs = {0};
            int[] probes = {0};
            Thread prober = new Thread(() -> probe(done, probeFailures, slowestProbeMs, probes), "healthz-prober");
            prober.setDaemon(true);
            prober.start();

            long end = System.nanoTime() + WINDOW.toNanos();
            int rounds = 0;
            while (System.nanoTime() < end) {
                pushAndPull("slow/client", rounds++);
            }
            done.set(true);
            prober.join(5_000);
            trickler.join(5_000);

            assertThat(rounds).as("push-and-pull rounds completed during the %s window", WINDOW).isPositive();
            assertThat(probes[0]).as("/healthz probes sent").isGreaterThan(20);
            assertThat(probeFailures).as("/healthz probes that failed or took over 1 s (slowest %d ms of %d)",
                    slowestProbeMs[0], probes[0]).isEmpty();
            assertThat(slowestProbeMs[0]).as("slowest /healthz answer in ms").isLessThan(1_000);
        } finally {
            for (Slow s : slow) {
                s.socket().close();
            }
        }
    }

    /** An authenticated push of a random layer, config and manifest, then a pull of the manifest and the layer. */
    private static void pushAndPull(String repo, int round) throws Exception {
        byte[] layer = new byte[256 * 1024];
        new Random(round).nextBytes(layer);
        byte[] config = ("{\"round\":" + round + "}").getBytes(StandardCharsets.UTF_8);
        Digest l = server.pushBlob(repo, layer);
        Digest c = server.pushBlob(repo, config);
        String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
        HttpResponse<byte[]> put = server.putManifest(repo, "r" + round, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(put.statusCode()).as("authenticated manifest PUT under load: %s", describe(put)).isEqualTo(201);
        HttpResponse<byte[]> pulled = server.get("/v2/" + repo + "/manifests/r" + round,
                "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(pulled.statusCode()).as("authenticated manifest GET under load: %s", describe(pulled))
                .isEqualTo(200);
        assertThat(new String(pulled.body(), StandardCharsets.UTF_8)).isEqualTo(manifest);
        HttpResponse<byte[]> blob = server.get("/v2/" + repo + "/blobs/" + l);
        assertThat(blob.statusCode()).as("authenticated layer GET under load: %s", describe(blob)).isEqualTo(200);
        assertThat(blob.body()).as("layer bytes").isEqualTo(layer);
    }

    private static void probe(AtomicBoolean done, ConcurrentLinkedQueue<String> failures, long[] slowest,
                              int[] count) {
        while (!done.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<byte[]> r = server.send(server.anonymous("/healthz").timeout(Duration.ofSeconds(1)));
                long ms = (System.nanoTime() - start) / 1_000_000;
                slowest[0] = Math.max(slowest[0], ms);
                if (r.statusCode() != 200 || ms >= 1_000) {
                    failures.add("GET /healthz -> " + r.statusCode() + " in " + ms + " ms");
                }
            } catch (IOException | InterruptedException e) {
                failures.add("GET /healthz failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e);
            }
            count[0]++;
            sleep(250);
        }
    }

    /** One byte to every slow client every {@link #TRICKLE_MS}; a socket the server closed stays closed. */
    private static void trickle(List<Slow> slow, AtomicBoolean done) {
        while (!done.get()) {
            for (Slow s : slow) {
                try {
                    s.socket().getOutputStream().write('x');
                } catch (IOException closedByServer) {
                    // expected for the refused ones: the server answered and closed
                }
            }
            sleep(TRICKLE_MS);
        }
    }

    private static void open(List<Slow> into, int n, String what, String requestLine, long contentLength,
                             String... headers) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write('{');
            out.flush();
            into.add(new Slow(what, s));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
