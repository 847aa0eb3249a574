package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.http.aws.BodyBudget;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7 item 1: the bytes of ECR/STS request bodies in memory at once are bounded by one budget (4 MiB here, via
 * {@link BodyBudget#PROPERTY}); a request that does not fit is refused at once with ThrottlingException, and
 * unauthenticated bodies never take any of it. The server keeps answering throughout.
 */
class ApiBodyBudgetIT {
    static final long BUDGET = 4L * 1024 * 1024;

    static {
        System.setProperty(BodyBudget.PROPERTY, String.valueOf(BUDGET)); // read once, when the server starts
    }

    @RegisterExtension
    static final TestServer SERVER = new TestServer();

    @AfterAll
    static void clear() { System.clearProperty(BodyBudget.PROPERTY); }

    static BodyBudget budget() { return SERVER.app().apiCalls().budget(); }

    @Test
    void heldBodies_fillTheBudget_theNextIsThrottledAtOnce_andAllIsReleased() throws Exception {
        assertThat(budget().capacity()).isEqualTo(BUDGET);
        int declared = 200 * 1024; // a DescribeRepositories body holds itself and 4x for parsing: 1,024,000 bytes
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket("127.0.0.1", SERVER.port());
                held.add(s);
                Map<String, String> h = AwsRaw.with(AwsRaw.signed(SERVER.port(), "DescribeRepositories", new byte[0]),
                        "content-length", String.valueOf(declared));
                OutputStream out = s.getOutputStream();
                out.write(AwsRaw.head(h).getBytes(StandardCharsets.US_ASCII));
                out.write("{\"a\":".getBytes(StandardCharsets.US_ASCII)); // then nothing: the body stays in flight
                out.flush();
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (budget().inUse() < 4L * 5 * declared && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(budget().inUse()).as("four signed 200 KiB bodies being read").isEqualTo(4L * 5 * declared);

            Map<String, String> fifth = AwsRaw.with(AwsRaw.signed(SERVER.port(), "DescribeRepositories",
                    new byte[0]), "content-length", String.valueOf(declared));
            AwsRaw.Response r = AwsRaw.exchange(SERVER.port(), AwsRaw.head(fifth), new byte[0], 0);
            assertThat(r.status()).as("a fifth one with the budget spent: %s", r).isEqualTo(400);
            assertThat(r.header("X-Amzn-Errortype")).isEqualTo("ThrottlingException");
            assertThat(r.header("Retry-After")).isEqualTo("1");
            assertThat(r.millis()).as("refused at once, not queued").isLessThan(3000);

            assertThat(SERVER.get("/healthz").statusCode()).as("/healthz while the budget is spent").isEqualTo(200);
            assertThat(SERVER.ecr().describeRegistry(b -> { }).registryId()).as("a signed call with an empty body")
                    .isEqualTo(TestServer.ACCOUNT);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        awaitReleased();
    }

    @Test
    void concurrentHugeUnauthenticatedBodies_takeNoBudget_andTheServerKeepsAnswering() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<AwsRaw.Response>> sent = new ArrayList<>();
            byte[] megabyte = new byte[1024 * 1024];
            for (int i = 0; i < 6; i++) {
                // POST / with Content-Length: 29000000 and no credentials, of which 1 MiB is sent
                sent.add(pool.submit(() -> AwsRaw.exchange(SERVER.port(), AwsRaw.head(AwsRaw.with(AwsRaw.unsigned(
                        SERVER.port(), "UploadLayerPart"), "content-length", "29000000")), megabyte, megabyte.length)));
            }
            for (Future<AwsRaw.Response> f : sent) {
                AwsRaw.Response r = f.get();
                assertThat(r.status()).as("unauthenticated 29 MB body: %s", r).isEqualTo(403);
                assertThat(r.header("X-Amzn-Errortype")).isEqualTo("MissingAuthenticationTokenException");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget().inUse()).as("unauthenticated bodies reserve nothing").isZero();
        assertThat(SERVER.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(SERVER.ecr().describeRepositories().repositories()).isNotNull();
        awaitReleased();
    }

    private static void awaitReleased() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (budget().inUse() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(budget().inUse()).as("every reservation released").isZero();
    }
}
