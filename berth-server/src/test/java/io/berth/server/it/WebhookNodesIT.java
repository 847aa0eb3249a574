package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.core.webhook.WebhookSignature;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.WebhooksConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §3 on several nodes: two servers on one PostgreSQL schema both run a webhook dispatcher, but only the
 * node holding the webhook's lease delivers it, so each event reaches the receiver once. When the holder stops, the
 * other node takes the lease over and delivers the events pushed after.
 */
class WebhookNodesIT {
    /** Both nodes seal and open webhook secrets under the same master key, as a deployment's nodes must. */
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(
            "berth-webhook-nodes-master-key32".getBytes(StandardCharsets.US_ASCII));
    /** The CLI reads its own configuration: the servers' SSRF allowance and master key (it seals the secret). */
    private static final Path CLI_CONFIG;

    static {
        try {
            CLI_CONFIG = Files.writeString(Files.createTempDirectory("berth-webhook-nodes").resolve("berth.yaml"),
                    "webhooks:\n  allow-private: true\nauth:\n  master-key: " + MASTER_KEY + "\n");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @RegisterExtension
    @Order(1)
    static final TestServer a = node(new TestServer().onPostgres());

    @RegisterExtension
    @Order(2)
    static final TestServer b = node(new TestServer().sharingMetadataWith(a));

    private static TestServer node(TestServer server) {
        return server.with(AuthConfig.MASTER_KEY, MASTER_KEY).with(WebhooksConfig.ALLOW_PRIVATE, "true")
                .with(WebhooksConfig.RETRY_BACKOFF, "100ms");
    }

    static HttpServer receiver;
    /** The event ids the receiver got, one entry a request. */
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s; received %s", what, received).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static Map<String, Long> counts() {
        return received.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    }

    private static String holder(TestServer via, String webhookId) {
        return via.app().stores().metadata().read(tx -> tx.webhooks().leaseHolder(webhookId, Instant.now()))
                .orElse(null);
    }

    @Test
    void eachEventIsDeliveredOnce_andTheOtherNodeTakesOverWhenTheHolderStops() throws Exception {
        String out = a.admin("webhooks", "add", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "--events", "ECR Image Action", "--repository-filter", "lease/*", "--config", CLI_CONFIG.toString());
        Matcher m = Pattern.compile("WebhookId: (\\S+)").matcher(out);
        assertThat(m.find()).as("add printed an id: %s", out).isTrue();
        String webhookId = m.group(1);
        a.ecr().createRepository(r -> r.repositoryName("lease/a"));
        b.ecr().createRepository(r -> r.repositoryName("lease/b"));
        for (int i = 1; i <= 3; i++) {
            Ecr.push(a, "lease/a", "v" + i, 600 + i);
            Ecr.push(b, "lease/b", "v" + i, 700 + i);
        }
        await("six pushes delivered", () -> counts().size() == 6);
        Thread.sleep(2_500); // room for a second node's duplicate, were both delivering
        assertThat(counts()).as("each event once, with both nodes running").hasSize(6)
                .allSatisfy((id, n) -> assertThat(n).as("deliveries of %s", id).isEqualTo(1L));

        String holder = holder(a, webhookId);
        assertThat(holder).as("one node holds the lease").isIn(a.app().nodeId(), b.app().nodeId());
        TestServer leaving = holder.equals(a.app().nodeId()) ? a : b;
        TestServer staying = leaving == a ? b : a;
        leaving.app().stop(); // graceful: its leases are released, the other node's next round takes them

        for (int i = 4; i <= 6; i++) {
            Ecr.push(staying, staying == a ? "lease/a" : "lease/b", "v" + i, 800 + i);
        }
        await("the pushes after the stop, delivered by the other node", () -> counts().size() == 9);
        Thread.sleep(1_500);
        assertThat(counts()).as("still each event once").hasSize(9)
                .allSatisfy((id, n) -> assertThat(n).as("deliveries of %s", id).isEqualTo(1L));
        assertThat(holder(staying, webhookId)).as("the lease moved").isEqualTo(staying.app().nodeId());
    }
}
