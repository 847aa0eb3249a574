package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first pull streams: against an upstream (a small test server) that sends half of a layer and then stalls,
 * the manifest is answered and a client reads that half before the upstream sends the rest; two clients pulling the
 * blob at once share one upstream download; a blob longer than its manifest declares, or whose bytes do not hash to
 * its digest, is never committed and its client does not get it whole.
 */
class PullThroughStreamingIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    static final int LAYER = 1 << 20;
    static HttpServer upstream;
    static final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    static final Map<String, String> manifests = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> blobGets = new ConcurrentHashMap<>();
    /** Digests whose upstream GET sends half, then waits for {@link #release}. */
    static final Map<String, CountDownLatch> stalls = new ConcurrentHashMap<>();
    /** Digests the upstream serves with these bytes instead (chunked: no Content-Length). */
    static final Map<String, byte[]> lies = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.createContext("/v2/", PullThroughStreamingIT::serve);
        upstream.start();
    }

    @AfterAll
    static void stop() {
        stalls.values().forEach(CountDownLatch::countDown);
        upstream.stop(0);
    }

    private static void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.equals("/v2/")) {
                ex.sendResponseHeaders(200, -1);
            } else if (path.contains("/manifests/")) {
                String m = manifests.get(path);
                if (m == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = m.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256Of(body).toString());
                ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
                if (!ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseBody().write(body);
                }
            } else {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                blobGets.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
                byte[] lie = lies.get(digest);
                byte[] body = lie != null ? lie : blobs.get(digest);
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, lie != null ? 0 : body.length);
                OutputStream out = ex.getResponseBody();
                CountDownLatch stall = stalls.get(digest);
                if (stall != null) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    stall.await(30, TimeUnit.SECONDS);
                    out.write(body, body.length / 2, body.length - body.length / 2);
                } else {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An image in the upstream repository {@code repo} with a random 1 MiB layer; returns the layer's digest. */
    private static Digest image(String repo, long seed) {
        byte[] layer = new byte[LAYER];
        new Random(seed).nextBytes(layer);
        byte[] config = ("{\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        Digest l = Digest.sha256Of(layer);
        Digest c = Digest.sha256Of(config);
        blobs.put(l.toString(), layer);
        blobs.put(c.toString(), config);
        manifests.put("/v2/" + repo + "/manifests/v1", Fixtures.ociManifest(c, config.length, l, layer.length));
        return l;
    }

    private static void rule(String prefix) {
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix(prefix)
                .upstreamRegistryUrl("http://127.0.0.1:" + upstream.getAddress().getPort()));
    }

    /** The data plane without the pull-through decorator: what is really stored. */
    private static RegistryService stored() {
        return server.app().stores().services().forRegistry(A);
    }

    private static boolean blobStored(String repo, Digest d) {
        try {
            stored().statBlob(RepositoryName.of(repo), d);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    @Test
    void firstPull_streamsTheLayerAsItArrives_andTwoClientsShareOneUpstreamDownload() throws Exception {
        Digest layer = image("lib/slow", 1);
        CountDownLatch release = new CountDownLatch(1);
        stalls.put(layer.toString(), release);
        rule("stream");
        HttpResponse<byte[]> m = server.get("/v2/stream/lib/slow/manifests/v1");
        assertThat(m.statusCode()).as(TestServer.describe(m)).isEqualTo(200);
        assertThat(blobStored("stream/lib/slow", layer)).as("answered before the layer is stored").isFalse();

        HttpResponse<InputStream> one = HTTP.send(server.request("/v2/stream/lib/slow/blobs/" + layer)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<HttpResponse<byte[]>> two = HTTP.sendAsync(server.request(
                "/v2/stream/lib/slow/blobs/" + layer).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValueAsLong("Content-Length")).hasValue(LAYER);
        byte[] half = one.body().readNBytes(LAYER / 2 - 1);
        assertThat(release.getCount()).as("half the layer reached the client while the upstream stalls").isOne();
        assertThat(half).isEqualTo(Arrays.copyOf(blobs.get(layer.toString()), LAYER / 2 - 1));
        release.countDown();
        byte[] rest = one.body().readAllBytes();
        one.body().close();
        byte[] whole = new byte[half.length + rest.length];
        System.arraycopy(half, 0, whole, 0, half.length);
        System.arraycopy(rest, 0, whole, half.length, rest.length);
        assertThat(whole).isEqualTo(blobs.get(layer.toString()));
        assertThat(two.get(30, TimeUnit.SECONDS).body()).isEqualTo(blobs.get(layer.toString()));
        assertThat(blobGets.get(layer.toString()).get()).as("one upstream download for all pulls").isOne();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean manifestStored = false;
        while (!manifestStored && System.nanoTime() < deadline) {
            try {
                stored().getManifest(RepositoryName.of("stream/lib/slow"), new Reference.ByTag(io.berth.core.model.Tag.of("v1")));
                manifestStored = true;
            } catch (RegistryException e) {
                Thread.sleep(50);
            }
        }
        assertThat(manifestStored).as("the fill stored the manifest after its blobs").isTrue();
        assertThat(blobStored("stream/lib/slow", layer)).isTrue();
    }

    @Test
    void blobLongerThanDeclared_neverCommitted_andTheClientDoesNotGetIt() throws Exception {
        Digest layer = image("lib/long", 2);
        byte[] longer = Arrays.copyOf(blobs.get(layer.toString()), LAYER + 10);
        lies.put(layer.toString(), longer);
        rule("long");
        assertThat(server.get("/v2/long/lib/long/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(answeredWhole("/v2/long/lib/long/blobs/" + layer)).isFalse();
        Thread.sleep(500);
        assertThat(blobStored("long/lib/long", layer)).as("never committed").isFalse();
        assertThat(manifestStored("long/lib/long")).as("nor the manifest that needs it").isFalse();
    }

    @Test
    void blobNotMatchingItsDigest_neverCommitted_andTheClientsConnectionIsCut() throws Exception {
        Digest layer = image("lib/bad", 3);
        byte[] other = blobs.get(layer.toString()).clone();
        other[LAYER - 1] ^= 1; // the last byte differs: only the check at the end can tell
        lies.put(layer.toString(), other);
        rule("bad");
        assertThat(server.get("/v2/bad/lib/bad/manifests/v1").statusCode()).isEqualTo(200);
        assertThat(answeredWhole("/v2/bad/lib/bad/blobs/" + layer)).as("the last byte is held back, then the "
                + "connection cut").isFalse();
        Thread.sleep(500);
        assertThat(blobStored("bad/lib/bad", layer)).as("never committed").isFalse();
        assertThat(manifestStored("bad/lib/bad")).isFalse();
    }

    @Test
    void batchGetImage_pullsThroughTheCache_andReportsUpstreamFailuresPerImage() throws Exception {
        image("lib/api", 4);
        rule("bgi");
        var got = server.ecr().batchGetImage(b -> b.repositoryName("bgi/lib/api")
                .imageIds(i -> i.imageTag("v1"), i -> i.imageTag("absent")));
        assertThat(got.images()).hasSize(1);
        assertThat(got.images().get(0).imageManifest()).isEqualTo(manifests.get("/v2/lib/api/manifests/v1"));
        assertThat(got.failures()).extracting(f -> f.failureCodeAsString()).containsExactly("ImageNotFound");
        assertThat(server.ecr().describeRepositories(b -> b.repositoryNames("bgi/lib/api")).repositories())
                .as("the first BatchGetImage created the repository").hasSize(1);

        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("down")
                .upstreamRegistryUrl("http://127.0.0.1:1"));
        var down = server.ecr().batchGetImage(b -> b.repositoryName("down/lib/api").imageIds(i -> i.imageTag("v1")));
        assertThat(down.images()).isEmpty();
        assertThat(down.failures()).extracting(f -> f.failureCodeAsString()).containsExactly("UpstreamUnavailable");
    }

    @Test
    void adminCacheRefresh_reChecksATagWithinTheRefreshInterval() throws Exception {
        image("lib/moving", 5);
        rule("refresh");
        HttpResponse<byte[]> first = server.get("/v2/refresh/lib/moving/manifests/v1");
        assertThat(first.statusCode()).isEqualTo(200);
        // the tag moves upstream: within the refresh interval pulls still get the cached copy
        Digest moved = image("lib/moving", 6);
        String v2 = manifests.get("/v2/lib/moving/manifests/v1");
        awaitStored("refresh/lib/moving");
        assertThat(server.get("/v2/refresh/lib/moving/manifests/v1").body()).isEqualTo(first.body());

        CountDownLatch release = new CountDownLatch(1);
        stalls.put(moved.toString(), release); // the moved image's layer: half sent, then held
        assertThat(server.admin("cache", "refresh", "refresh/lib/moving:v1")).contains("Expired refresh/lib/moving:v1")
                .contains("its next pull re-checks it upstream");
        assertThat(new String(server.get("/v2/refresh/lib/moving/manifests/v1").body(), StandardCharsets.UTF_8))
                .as("the next pull gets the moved tag at once, as a first pull").isEqualTo(v2);
        assertThat(blobStored("refresh/lib/moving", moved)).as("its layer is still on its way").isFalse();
        assertThat(stored().getManifest(RepositoryName.of("refresh/lib/moving"), new Reference.ByTag(
                io.berth.core.model.Tag.of("v1"))).content()).as("the cached tag moves once everything is stored")
                .isEqualTo(first.body());
        var layer = HTTP.sendAsync(server.request("/v2/refresh/lib/moving/blobs/" + moved).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(300);
        assertThat(layer).as("the client reads the layer as it arrives, so it waits for the rest").isNotDone();
        release.countDown();
        assertThat(Digest.sha256Of(layer.get(30, TimeUnit.SECONDS).body())).as("streamed whole").isEqualTo(moved);
        assertThat(blobGets.get(moved.toString()).get()).as("one upstream download for the fill and the client")
                .isEqualTo(1);
        for (int i = 0; i < 200 && !java.util.Arrays.equals(stored().getManifest(RepositoryName.of(
                "refresh/lib/moving"), new Reference.ByTag(io.berth.core.model.Tag.of("v1"))).content(),
                v2.getBytes(StandardCharsets.UTF_8)); i++) {
            Thread.sleep(50);
        }
        assertThat(blobStored("refresh/lib/moving", moved)).as("stored by the fill").isTrue();
        assertThat(server.get("/v2/refresh/lib/moving/manifests/v1").body()).as("and cached again")
                .isEqualTo(v2.getBytes(StandardCharsets.UTF_8));
        assertThat(server.admin("cache", "refresh", "refresh/lib/never:v1")).contains("is not cached yet");
    }

    private static void awaitStored(String repo) throws InterruptedException {
        for (int i = 0; i < 200 && !manifestStored(repo); i++) {
            Thread.sleep(50);
        }
        assertThat(manifestStored(repo)).as(repo + " stored by its fill").isTrue();
    }

    /** True when the GET answered 200 with a layer's worth of bytes; false for an error status or a cut body. */
    private static boolean answeredWhole(String path) throws InterruptedException {
        try {
            HttpResponse<byte[]> r = server.get(path);
            return r.statusCode() == 200 && r.body().length >= LAYER;
        } catch (IOException cut) {
            return false;
        }
    }

    private static boolean manifestStored(String repo) {
        try {
            stored().getManifest(RepositoryName.of(repo), new Reference.ByTag(io.berth.core.model.Tag.of("v1")));
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }
}
