package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.gc.GcReport;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.AuthConfig;
import io.berth.server.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Berth nodes in this JVM over one PostgreSQL schema and one S3 bucket (S3Proxy in-process), as several nodes
 * behind a load balancer run (issue 11 §2): an upload started on A continues on B, a push through A pulls through B
 * at once, a tag or policy change on A shows on B within a second, both are listed by {@code berth admin nodes},
 * and GC on A while B pushes loses no acknowledged image.
 */
class NodesIT {
    private static final String BUCKET = "berth-nodes-it";
    private static final int MIB = 1 << 20;
    /** Every node of a deployment is given the same master key; here 32 fixed bytes. */
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(
            "berth-nodes-it-master-key-32byte".getBytes(StandardCharsets.US_ASCII));
    static final InProcessS3Proxy S3 = InProcessS3Proxy.startForSdk(BUCKET);

    @RegisterExtension
    @Order(1)
    static final TestServer a = node(new TestServer().onPostgres());

    @RegisterExtension
    @Order(2)
    static final TestServer b = node(new TestServer().sharingMetadataWith(a));

    private static TestServer node(TestServer server) {
        return server.with(StorageConfig.TYPE, "s3").with(StorageConfig.S3_BUCKET, BUCKET)
                .with(StorageConfig.S3_PREFIX, "shared").with(StorageConfig.S3_ENDPOINT, S3.endpoint().toString())
                .with(StorageConfig.S3_PATH_STYLE, "true").with(StorageConfig.S3_TIMEOUT, "10s")
                .with(StorageConfig.ENCRYPT_AT_REST, "false") // S3Proxy does not implement SSE-S3
                .with(AuthConfig.MASTER_KEY, MASTER_KEY);
    }

    @AfterAll
    static void stopS3() throws Exception {
        S3.closeForSdk();
    }

    @Test
    void uploadStartedOnA_continuesOnB_andEitherNodeServesTheBlob() throws Exception {
        byte[] content = random(13 * MIB + 7, 11);
        int[] cuts = {0, 6 * MIB + 1, 9 * MIB, content.length}; // the first chunk fills a part on A, the rest on B
        TestServer[] servedBy = {a, b, b};
        HttpResponse<byte[]> start = a.send("POST", "/v2/moving/app/blobs/uploads/", null);
        assertThat(start.statusCode()).as("start on A: %s", describe(start)).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        for (int i = 0; i < servedBy.length; i++) {
            HttpResponse<byte[]> status = servedBy[i].get(location);
            assertThat(status.statusCode()).as("status at chunk %d: %s", i, describe(status)).isEqualTo(204);
            HttpResponse<byte[]> patch = servedBy[i].send("PATCH", location,
                    Arrays.copyOfRange(content, cuts[i], cuts[i + 1]), "Content-Range",
                    cuts[i] + "-" + (cuts[i + 1] - 1), "Content-Type", "application/octet-stream");
            assertThat(patch.statusCode()).as("chunk %d: %s", i, describe(patch)).isEqualTo(202);
            assertThat(patch.headers().firstValue("Range")).contains("0-" + (cuts[i + 1] - 1));
            location = patch.headers().firstValue("Location").orElseThrow();
        }
        Digest d = Digest.sha256Of(content);
        // committed on A again: the session went A → B → A, so no node's running hash covers it
        HttpResponse<byte[]> put = a.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + d,
                null);
        assertThat(put.statusCode()).as("commit on A: %s", describe(put)).isEqualTo(201);
        for (TestServer node : new TestServer[] {a, b}) {
            HttpResponse<byte[]> get = node.get("/v2/moving/app/blobs/" + d);
            assertThat(get.statusCode()).as("GET: %s", describe(get)).isEqualTo(200);
            assertThat(get.body()).isEqualTo(content);
        }
    }

    @Test
    void aWrongDigestAtCommitOnB_isRefused_andNothingIsPublished() throws Exception {
        byte[] content = random(6 * MIB + 3, 12);
        HttpResponse<byte[]> start = a.send("POST", "/v2/wrong/app/blobs/uploads/", null);
        String location = start.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> patch = a.send("PATCH", location, content, "Content-Type", "application/octet-stream");
        assertThat(patch.statusCode()).as(describe(patch)).isEqualTo(202);
        location = patch.headers().firstValue("Location").orElseThrow();
        Digest claimed = Digest.sha256Of("something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> put = b.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                + claimed, null);
        assertThat(put.statusCode()).as(describe(put)).isEqualTo(400);
        assertThat(TestServer.text(put)).contains("DIGEST_INVALID");
        assertThat(a.head("/v2/wrong/app/blobs/" + claimed).statusCode()).isEqualTo(404);
        assertThat(a.head("/v2/wrong/app/blobs/" + Digest.sha256Of(content)).statusCode()).isEqualTo(404);
    }

    @Test
    void pushThroughA_pullsThroughB_atOnce_withLayersAndDownloadUrls() throws Exception {
        Ecr.Pushed p = Ecr.push(a, "pushed/app", "v1", 21);
        HttpResponse<byte[]> manifest = b.get("/v2/pushed/app/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
        assertThat(manifest.statusCode()).as(describe(manifest)).isEqualTo(200);
        assertThat(TestServer.text(manifest)).isEqualTo(p.manifest());
        HttpResponse<byte[]> layer = b.get("/v2/pushed/app/blobs/" + p.layer());
        assertThat(layer.statusCode()).as(describe(layer)).isEqualTo(200);
        assertThat(Digest.sha256Of(layer.body())).isEqualTo(p.layer());
        // a download URL handed out by A is signed under the shared master key, so B serves it
        String url = a.ecr().getDownloadUrlForLayer(r -> r.repositoryName("pushed/app")
                .layerDigest(p.layer().toString())).downloadUrl();
        java.net.URI onB = java.net.URI.create(url.replace(":" + a.port() + "/", ":" + b.port() + "/"));
        HttpResponse<byte[]> viaB = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(onB).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaB.statusCode()).as("download URL %s at B", onB).isEqualTo(200);
        assertThat(Digest.sha256Of(viaB.body())).isEqualTo(p.layer());
    }

    @Test
    void aTagMovedOnA_isSeenOnB_withinASecond() throws Exception {
        Ecr.Pushed first = Ecr.push(a, "moving/tag", "latest", 31);
        assertThat(digestOn(b, "moving/tag", "latest")).isEqualTo(first.digest().toString());
        assertThat(digestOn(b, "moving/tag", "latest")).isEqualTo(first.digest().toString()); // now warm on B
        Ecr.Pushed second = Ecr.push(a, "moving/tag", "latest", 32);
        long movedAt = System.nanoTime();
        String seen = awaitOnB(() -> digestOn(b, "moving/tag", "latest"), second.digest().toString());
        assertThat(seen).isEqualTo(second.digest().toString());
        assertThat(Duration.ofNanos(System.nanoTime() - movedAt)).isLessThan(Duration.ofSeconds(1));
        // and a delete on A: B answers 404 for the tag
        a.ecr().batchDeleteImage(r -> r.repositoryName("moving/tag").imageIds(i -> i.imageTag("latest")));
        long deletedAt = System.nanoTime();
        assertThat(awaitOnB(() -> digestOn(b, "moving/tag", "latest"), "404")).isEqualTo("404");
        assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aRepositoryPolicySetOnA_governsPullsOnB_withinASecond() throws Exception {
        Ecr.push(a, "policy/app", "v1", 41);
        assertThat(b.send(b.anonymous("/v2/policy/app/manifests/v1").header("Accept", MediaTypes.OCI_MANIFEST))
                .statusCode()).as("anonymous pull before the policy").isEqualTo(401);
        a.ecr().setRepositoryPolicy(r -> r.repositoryName("policy/app").policyText("""
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicPull","Effect":"Allow","Principal":"*",\
                "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}]}"""));
        long setAt = System.nanoTime();
        int status = awaitOnB(() -> b.send(b.anonymous("/v2/policy/app/manifests/v1")
                .header("Accept", MediaTypes.OCI_MANIFEST)).statusCode(), 200);
        assertThat(status).as("anonymous pull on B after A made the repository public").isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - setAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void adminNodes_listsBothLiveNodes() {
        String listed = a.admin("nodes");
        assertThat(listed).contains(a.app().nodeId()).contains(b.app().nodeId());
        assertThat(listed.lines().filter(l -> l.contains(" live "))).hasSize(2);
        assertThat(listed).contains("http://127.0.0.1:" + a.port()).contains("http://127.0.0.1:" + b.port());
    }

    /**
     * The race GC's protocol exists for, across nodes: layers B uploaded earlier and no manifest references yet
     * (past the grace period, so GC may take them) while B pushes the manifests that reference them. Each manifest
     * PUT either wins (and its blobs then survive every later pass) or is refused with MANIFEST_BLOB_UNKNOWN; none
     * is acknowledged and then loses a blob. Then fresh pushes within the grace period all succeed under GC.
     */
    @Test
    void gcOnA_whileBPushes_losesNoAcknowledgedImage() throws Exception {
        Digest orphan = a.pushBlob("gc/orphan", random(2000, 51)); // never referenced: GC's to remove
        a.ecr().deleteRepository(r -> r.repositoryName("gc/orphan").force(true));
        List<Ecr.Pushed> staged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            staged.add(Ecr.blobs(b, "gc/app", 100 + i));
        }
        Thread.sleep(1100); // every staged blob is now older than the grace below
        var gc = a.app().stores().garbageCollector(Duration.ofSeconds(1));
        List<Ecr.Pushed> acknowledged = new ArrayList<>();
        List<GcReport> passes = collectWhile(gc, () -> {
            for (int i = 0; i < staged.size(); i++) {
                Ecr.Pushed p = staged.get(i);
                HttpResponse<byte[]> put = b.putManifest("gc/app", "staged" + i, MediaTypes.OCI_MANIFEST,
                        p.manifest());
                if (put.statusCode() == 201) {
                    acknowledged.add(p);
                } else {
                    assertThat(put.statusCode()).as("refused: %s", describe(put)).isEqualTo(400);
                    assertThat(TestServer.text(put)).contains("MANIFEST_BLOB_UNKNOWN");
                }
            }
            for (int i = 0; i < 20; i++) {
                acknowledged.add(Ecr.push(b, "gc/app", "fresh" + i, 200 + i)); // within the grace: never refused
            }
        });
        int refused = staged.size() + 20 - acknowledged.size();
        System.out.printf("NodesIT GC race: %d pushes acknowledged, %d refused, %d GC passes%n",
                acknowledged.size(), refused, passes.size());
        assertThat(passes).as("GC passes on A during B's pushes").hasSizeGreaterThan(1);
        assertThat(acknowledged).as("pushes acknowledged (%d refused)", refused).hasSizeGreaterThanOrEqualTo(20);
        passes.add(gc.run(false, io.berth.core.gc.GcProgress.NONE));
        Thread.sleep(1100);
        passes.add(gc.run(false, io.berth.core.gc.GcProgress.NONE)); // the fresh ones are past the grace now too
        for (Ecr.Pushed p : acknowledged) {
            for (TestServer node : new TestServer[] {a, b}) {
                HttpResponse<byte[]> m = node.get("/v2/gc/app/manifests/" + p.digest(), "Accept",
                        MediaTypes.OCI_MANIFEST);
                assertThat(m.statusCode()).as(describe(m)).isEqualTo(200);
                assertThat(TestServer.text(m)).isEqualTo(p.manifest());
                for (Digest blob : List.of(p.config(), p.layer())) {
                    HttpResponse<byte[]> got = node.get("/v2/gc/app/blobs/" + blob);
                    assertThat(got.statusCode()).as("%s of %s: %s", blob, p.digest(), describe(got)).isEqualTo(200);
                    assertThat(Digest.sha256Of(got.body())).isEqualTo(blob);
                }
            }
        }
        assertThat(a.app().stores().blobs().stat(orphan)).as("the unreferenced blob was collected").isEmpty();
    }

    /**
     * With no grace at all GC on A may take a blob B has just uploaded, before B links it: B's push must then hear a
     * retryable 503 UNAVAILABLE, never a 500.
     */
    @Test
    void gcWithNoGrace_racingUploadsOnB_answersRetryable503_neverAFault() throws Exception {
        var gc = a.app().stores().garbageCollector(Duration.ZERO);
        List<Integer> statuses = new ArrayList<>();
        collectWhile(gc, () -> {
            for (int i = 0; i < 60; i++) {
                byte[] blob = random(MIB + i, 300 + i);
                HttpResponse<byte[]> r = b.send("POST", "/v2/nograce/app/blobs/uploads/?digest="
                        + Digest.sha256Of(blob), blob);
                if (r.statusCode() != 201) {
                    assertThat(r.statusCode()).as("refused: %s", describe(r)).isEqualTo(503);
                    assertThat(TestServer.text(r)).contains("UNAVAILABLE");
                }
                statuses.add(r.statusCode());
            }
        });
        System.out.printf("NodesIT no-grace race: %d of 60 uploads answered 503%n",
                statuses.stream().filter(s -> s == 503).count());
        assertThat(statuses).hasSize(60).contains(201);
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Runs GC passes back to back on a thread of their own while {@code work} runs; returns their reports. */
    private static List<GcReport> collectWhile(io.berth.core.gc.GarbageCollector gc, Work work) throws Exception {
        AtomicBoolean working = new AtomicBoolean(true);
        List<GcReport> passes = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> collector = CompletableFuture.runAsync(() -> {
            while (working.get()) {
                passes.add(gc.run(false, io.berth.core.gc.GcProgress.NONE));
            }
        });
        try {
            work.run();
        } finally {
            working.set(false);
            collector.get(60, TimeUnit.SECONDS);
        }
        return passes;
    }

    private static String digestOn(TestServer node, String repo, String tag) throws Exception {
        HttpResponse<byte[]> r = node.send("HEAD", "/v2/" + repo + "/manifests/" + tag, null, "Accept",
                MediaTypes.OCI_MANIFEST);
        return r.statusCode() == 404 ? "404" : r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls {@code probe} every 20 ms for up to 3 s until it answers {@code expected}; returns its last answer. */
    private static <T> T awaitOnB(Probe<T> probe, T expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        T last;
        do {
            last = probe.get();
            if (last.equals(expected)) {
                return last;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return last;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
