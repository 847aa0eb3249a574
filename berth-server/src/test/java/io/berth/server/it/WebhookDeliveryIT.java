package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.berth.core.webhook.WebhookSignature;
import io.berth.server.config.WebhooksConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 §3 and §6: webhooks against a real HTTP receiver (the JDK's HttpServer). Deliveries are signed over
 * {@code t.body}, retried after a 500 with the same event id until a 200, in order per repository, dead-lettered
 * after {@code webhooks.max-attempts}; receivers at Berth itself are refused; the JSON-lines file gets every event.
 */
class WebhookDeliveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS_FILE;
    private static final Path CLI_CONFIG;

    static {
        try {
            Path dir = Files.createTempDirectory("berth-webhooks-it");
            EVENTS_FILE = dir.resolve("events.jsonl");
            // the CLI reads its own configuration: the same SSRF allowance the server has
            CLI_CONFIG = Files.writeString(dir.resolve("berth.yaml"), "webhooks:\n  allow-private: true\n");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(WebhooksConfig.ALLOW_PRIVATE, "true")
            .with(WebhooksConfig.MAX_ATTEMPTS, "3")
            .with(WebhooksConfig.RETRY_BACKOFF, "100ms")
            .with(WebhooksConfig.EVENTS_FILE, EVENTS_FILE.toString());

    /** One request the receiver got. */
    record Received(String path, String signature, String eventId, String attempt, String body, int answered) {}

    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    /** Per path: how many requests are answered 500 before the 200s; a negative count answers 500 always. */
    static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // the slow one blocks no other
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            AtomicInteger left = failuresLeft.computeIfAbsent(path, p -> new AtomicInteger(0));
            int status = left.get() < 0 ? 500 : left.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            if (path.equals("/slow")) {
                try {
                    Thread.sleep(4_000); // a receiver that takes its time, under the sender's 10 s timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            var h = exchange.getRequestHeaders();
            received.add(new Received(path, h.getFirst(WebhookSignature.HEADER),
                    h.getFirst(WebhookSignature.EVENT_ID_HEADER), h.getFirst(WebhookSignature.ATTEMPT_HEADER), body,
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static String admin(String... args) {
        List<String> all = new ArrayList<>(List.of("webhooks"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", CLI_CONFIG.toString()));
        return server.admin(all.toArray(String[]::new));
    }

    /** Adds a webhook with the CLI; returns {id, secret}. */
    private static String[] add(String... args) {
        String out = admin(args);
        Matcher id = Pattern.compile("WebhookId: (\\S+)").matcher(out);
        Matcher secret = Pattern.compile("Secret: +(\\S+)").matcher(out);
        assertThat(id.find() && secret.find()).as("add printed an id and a secret: %s", out).isTrue();
        return new String[] {id.group(1), secret.group(1)};
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s; received %s", what, received).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void deliveries_areSigned_retriedAfter500_inOrderPerRepository_andFiltered() throws Exception {
        failuresLeft.put("/ordered", new AtomicInteger(2));
        String[] hook = add("add", url("/ordered"), "--events", "ECR Image Action", "--repository-filter",
                "hooks/*");
        server.ecr().createRepository(b -> b.repositoryName("hooks/app"));
        server.ecr().createRepository(b -> b.repositoryName("other/app"));
        List<String> digests = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            digests.add(Ecr.push(server, "hooks/app", "v" + i, 100 + i).digest().toString());
            Ecr.push(server, "other/app", "v" + i, 200 + i); // filtered out by the repository filter
        }
        await("three deliveries to /ordered", () -> at("/ordered").stream().filter(r -> r.answered() == 200)
                .count() == 3);

        List<Received> all = at("/ordered");
        assertThat(all).extracting(Received::answered).as("two 500s, then the 200s")
                .containsExactly(500, 500, 200, 200, 200);
        assertThat(all.subList(0, 3)).extracting(Received::eventId).as("the retries carry the first event's id")
                .containsOnly(all.get(0).eventId());
        assertThat(all.subList(0, 3)).extracting(Received::attempt).containsExactly("1", "2", "3");
        List<JsonNode> bodies = new ArrayList<>();
        for (Received r : all.subList(2, 5)) {
            assertThat(WebhookSignature.verify(hook[1], r.signature(), r.body(), Instant.now(), Duration.ofMinutes(5)))
                    .as("signature %s over %s", r.signature(), r.body()).isTrue();
            assertThat(WebhookSignature.verify(hook[1], r.signature(), r.body() + " ", Instant.now(),
                    Duration.ofMinutes(5))).as("a changed body fails verification").isFalse();
            assertThat(WebhookSignature.verify(hook[1], r.signature(), r.body(), Instant.now().plusSeconds(600),
                    Duration.ofMinutes(5))).as("a replay ten minutes later is refused").isFalse();
            bodies.add(JSON.readTree(r.body()));
        }
        assertThat(bodies).extracting(b -> b.path("detail").path("image-tag").asText()).as("order per repository")
                .containsExactly("v1", "v2", "v3");
        assertThat(bodies).extracting(b -> b.path("detail").path("image-digest").asText())
                .containsExactlyElementsOf(digests);
        JsonNode first = bodies.get(0);
        assertThat(first.path("source").asText()).isEqualTo("aws.ecr");
        assertThat(first.path("detail-type").asText()).isEqualTo("ECR Image Action");
        assertThat(first.path("version").asText()).isEqualTo("0");
        assertThat(first.path("account").asText()).isEqualTo(TestServer.ACCOUNT);
        assertThat(first.path("region").asText()).isEqualTo("us-east-1");
        assertThat(first.path("id").asText()).isEqualTo(all.get(2).eventId());
        assertThat(first.path("resources").get(0).asText())
                .isEqualTo("arn:aws:ecr:us-east-1:" + TestServer.ACCOUNT + ":repository/hooks/app");
        assertThat(first.path("detail").path("action-type").asText()).isEqualTo("PUSH");
        assertThat(first.path("detail").path("result").asText()).isEqualTo("SUCCESS");
        assertThat(first.path("detail").path("repository-name").asText()).isEqualTo("hooks/app");

        String log = admin("deliveries", "--webhook", hook[0]);
        assertThat(log.lines().filter(l -> l.contains(" FAILED ")).count()).as("log: %s", log).isEqualTo(2);
        assertThat(log.lines().filter(l -> l.contains(" DELIVERED ")).count()).as("log: %s", log).isEqualTo(3);
        assertThat(admin("list")).contains(hook[0], url("/ordered"), "hooks/*", "ECR Image Action");
        String stored = server.app().stores().metadata().read(tx -> tx.webhooks().get(hook[0])).orElseThrow().secret();
        assertThat(stored).as("the secret is stored sealed").doesNotContain(hook[1].substring(6))
                .doesNotStartWith("whsec_");

        // the JSON-lines file has every event, the filtered-out repository's too, in stream order
        await("the events file", () -> lines().stream().filter(l -> l.contains("other/app")).count() >= 4);
        List<String> lines = lines();
        assertThat(lines).allSatisfy(l -> assertThat(JSON.readTree(l).path("source").asText()).isEqualTo("aws.ecr"));
        assertThat(lines.stream().filter(l -> l.contains("\"repository-name\":\"hooks/app\"")
                && l.contains("\"ECR Image Action\"")).map(l -> l.replaceAll(".*\"image-tag\":\"(v\\d)\".*", "$1"))
                .toList()).containsExactly("v1", "v2", "v3");

        admin("remove", hook[0]);
        assertThat(admin("list")).doesNotContain(hook[0]);
    }

    /**
     * Issue 14 §3: a referrer's push is an "ECR Referrer Action", and a change of the scanning configuration (a
     * repository's scan on push, the registry's configuration) an "ECR Scan Resource Change", in ECR's shapes.
     */
    @Test
    void aReferrerPush_andScanningChanges_areDeliveredInEcrsShapes() throws Exception {
        String[] hook = add("add", url("/ecr-more"), "--events", "ECR Referrer Action,ECR Scan Resource Change");
        server.ecr().createRepository(b -> b.repositoryName("refs/app"));
        Ecr.Pushed image = Ecr.push(server, "refs/app", "v1", 500);
        byte[] sig = "a signature".getBytes(StandardCharsets.UTF_8);
        io.berth.core.model.Digest sigBlob = server.pushBlob("refs/app", sig);
        server.pushBlob("refs/app", Fixtures.EMPTY_JSON);
        String referrer = Fixtures.artifact("application/vnd.example.signature", sigBlob, sig.length,
                image.digest(), image.manifest().length());
        io.berth.core.model.Digest referrerDigest = io.berth.core.model.Digest.sha256Of(
                referrer.getBytes(StandardCharsets.UTF_8));
        assertThat(server.putManifest("refs/app", referrerDigest.toString(), io.berth.core.model.MediaTypes
                .OCI_MANIFEST, referrer).statusCode()).isEqualTo(201);
        server.ecr().putImageScanningConfiguration(b -> b.repositoryName("refs/app")
                .imageScanningConfiguration(c -> c.scanOnPush(true)));
        server.ecr().putRegistryScanningConfiguration(b -> b.scanType("BASIC").rules(r -> r
                .scanFrequency("SCAN_ON_PUSH").repositoryFilters(f -> f.filter("refs/*").filterType("WILDCARD"))));
        await("three deliveries to /ecr-more", () -> at("/ecr-more").size() >= 3);

        List<JsonNode> bodies = new ArrayList<>();
        for (Received r : at("/ecr-more")) {
            bodies.add(JSON.readTree(r.body()));
        }
        assertThat(bodies).extracting(b -> b.path("detail-type").asText()).as("only the subscribed detail-types")
                .containsExactly("ECR Referrer Action", "ECR Scan Resource Change", "ECR Scan Resource Change");
        JsonNode ref = bodies.get(0);
        assertThat(ref.path("source").asText()).isEqualTo("aws.ecr");
        assertThat(ref.path("resources").get(0).asText())
                .isEqualTo("arn:aws:ecr:us-east-1:" + TestServer.ACCOUNT + ":repository/refs/app");
        JsonNode d = ref.path("detail");
        assertThat(d.path("action-type").asText()).isEqualTo("PUSH");
        assertThat(d.path("result").asText()).isEqualTo("SUCCESS");
        assertThat(d.path("repository-name").asText()).isEqualTo("refs/app");
        assertThat(d.path("image-digest").asText()).isEqualTo(referrerDigest.toString());
        assertThat(d.path("manifest-media-type").asText()).isEqualTo(io.berth.core.model.MediaTypes.OCI_MANIFEST);
        assertThat(d.path("artifact-media-type").asText()).isEqualTo("application/vnd.example.signature");
        assertThat(d.path("subject-digest").asText()).isEqualTo(image.digest().toString());

        JsonNode repo = bodies.get(1).path("detail");
        assertThat(repo.path("action-type").asText()).isEqualTo("SCAN_FREQUENCY_CHANGE");
        assertThat(repo.path("resource-type").asText()).isEqualTo("REPOSITORY");
        assertThat(repo.path("repositories").get(0).path("repository-name").asText()).isEqualTo("refs/app");
        assertThat(repo.path("repositories").get(0).path("scan-frequency").asText()).isEqualTo("SCAN_ON_PUSH");
        JsonNode registry = bodies.get(2).path("detail");
        assertThat(registry.path("resource-type").asText()).isEqualTo("REGISTRY");
        assertThat(registry.path("scan-type").asText()).isEqualTo("BASIC");
        assertThat(bodies.get(2).path("resources").size()).as("the registry: no repository ARN").isZero();
        admin("remove", hook[0]);
    }

    @Test
    void aReceiverThatAlwaysFails_isDeadLettered_afterMaxAttempts_andTheNextEventGoesOn() throws Exception {
        failuresLeft.put("/dead", new AtomicInteger(-1));
        String[] hook = add("add", url("/dead"), "--repository-filter", "dead/app");
        server.ecr().createRepository(b -> b.repositoryName("dead/app"));
        Ecr.push(server, "dead/app", "a", 301);
        await("a dead-lettered delivery", () -> admin("deliveries", "--webhook", hook[0], "--dead")
                .lines().count() >= 3);
        String dead = admin("deliveries", "--webhook", hook[0], "--dead");
        List<Received> got = at("/dead");
        String firstId = got.get(0).eventId();
        assertThat(got.stream().filter(r -> r.eventId().equals(firstId))).extracting(Received::attempt)
                .as("three attempts of the first event").containsExactly("1", "2", "3");
        assertThat(dead).as("dead letters: %s", dead).contains(firstId, " DEAD ", "500");
        // the cursor moved on: the second event (the push after the repository's creation) is tried as well
        await("the next event's attempts", () -> at("/dead").stream().anyMatch(r -> !r.eventId().equals(firstId)));
        admin("remove", hook[0]);
    }

    @Test
    void aSlowReceiver_delaysNeitherPushesNorAnotherWebhook() throws Exception {
        String[] slow = add("add", url("/slow"), "--repository-filter", "slow/app");
        String[] fast = add("add", url("/fast"), "--repository-filter", "slow/app");
        server.ecr().createRepository(b -> b.repositoryName("slow/app"));
        long start = System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            Ecr.push(server, "slow/app", "s" + i, 400 + i);
        }
        Duration pushes = Duration.ofNanos(System.nanoTime() - start);
        await("the fast webhook's four events", () -> at("/fast").size() == 4);
        Duration fastDone = Duration.ofNanos(System.nanoTime() - start);
        assertThat(pushes).as("three pushes while a receiver sleeps 4 s a request").isLessThan(Duration.ofSeconds(3));
        assertThat(at("/slow").size()).as("the slow webhook is still on its first events when the fast one is done")
                .isLessThan(4);
        assertThat(fastDone).as("the fast webhook did not wait behind the slow one").isLessThan(Duration.ofSeconds(4));
        admin("remove", slow[0]);
        admin("remove", fast[0]);
    }

    @Test
    void aReceiverAtBerthItself_isRefused_evenWithPrivateReceiversAllowed() throws Exception {
        // the CLI learns Berth's port from the configuration, as an operator's berth.yaml gives it to both
        Path config = Files.writeString(CLI_CONFIG.resolveSibling("self.yaml"), "listen: 127.0.0.1:" + server.port()
                + "\nwebhooks:\n  allow-private: true\n");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = io.berth.server.MainAccess.execute(new String[] {"admin", "webhooks", "add",
                    "http://localhost:" + server.port() + "/v2/", "--config", config.toString(),
                    "--data", server.data().toString()});
        } finally {
            System.setErr(saved);
        }
        assertThat(code).as("exit code; stderr %s", err).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("webhook URL refused", "points at Berth itself");
        assertThat(admin("list")).doesNotContain("/v2/");
    }

    private static List<String> lines() {
        try {
            return Files.exists(EVENTS_FILE) ? Files.readAllLines(EVENTS_FILE) : List.of();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
