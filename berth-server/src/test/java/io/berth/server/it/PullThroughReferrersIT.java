package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Beyond ECR (issue 12 §3): {@code GET /v2/<cache repo>/referrers/<digest>} of a cached image asks the upstream for
 * its referrers, stores them and serves them. The upstream is a second Berth (open), which has the OCI referrers
 * API; in front of it, a distribution-2.8-like upstream in test code answers 404 to the referrers API, so the
 * cache falls back to the referrers tag schema ({@code sha256-<hex>}, an index listing the referrers).
 */
class PullThroughReferrersIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final TestServer upstream = new TestServer().insecureNoAuth();
    static HttpServer noReferrersApi;
    static final List<String> asked = new CopyOnWriteArrayList<>();
    static final String SIGNATURE = "application/vnd.example.signature";

    @BeforeAll
    static void start() throws Exception {
        upstream.beforeAll(null);
        noReferrersApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        noReferrersApi.createContext("/v2/", PullThroughReferrersIT::forward);
        noReferrersApi.start();
    }

    @AfterAll
    static void stop() throws Exception {
        noReferrersApi.stop(0);
        upstream.afterAll(null);
    }

    /** Forwards GET and HEAD to the upstream Berth, but has no referrers API (404, as distribution 2.8). */
    private static void forward(HttpExchange ex) throws IOException {
        asked.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        byte[] body;
        int status;
        if (ex.getRequestURI().getPath().contains("/referrers/")) {
            status = 404;
            body = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        } else {
            HttpResponse<byte[]> r = UpstreamForward.forward(ex, upstream.port());
            for (String h : List.of("Content-Type", "Docker-Content-Digest")) {
                r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
            }
            status = r.statusCode();
            body = r.body();
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    /** A signature of {@code subject} pushed to the upstream's {@code repo} by digest; its manifest's digest. */
    static Digest sign(String repo, byte[] subject, String text) throws Exception {
        upstream.pushBlob(repo, Fixtures.EMPTY_JSON);
        byte[] sig = text.getBytes(StandardCharsets.UTF_8);
        Digest layer = upstream.pushBlob(repo, sig);
        String artifact = Fixtures.artifact(SIGNATURE, layer, sig.length, Digest.sha256Of(subject), subject.length);
        Digest digest = Digest.sha256Of(artifact.getBytes(StandardCharsets.UTF_8));
        assertThat(upstream.putManifest(repo, digest.toString(), MediaTypes.OCI_MANIFEST, artifact).statusCode())
                .isEqualTo(201);
        return digest;
    }

    /** Pulls {@code repo:tag} through the cache and waits until the fill stored it (it is served by digest). */
    static Digest cached(String repo, String tag) throws Exception {
        HttpResponse<byte[]> r = server.get("/v2/" + repo + "/manifests/" + tag);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(200);
        Digest d = Digest.sha256Of(r.body());
        ReplicationIT.await(repo + " stored", () -> server.app().stores().metadata().read(tx -> tx.repositories()
                .get(new io.berth.core.model.RegistryId(TestServer.ACCOUNT), io.berth.core.model.RepositoryName
                        .of(repo)).map(rec -> tx.manifests().get(rec.id(), d).isPresent()).orElse(false)));
        return d;
    }

    static String referrers(String repo, Digest subject) throws Exception {
        HttpResponse<byte[]> r = server.get("/v2/" + repo + "/referrers/" + subject);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        return TestServer.text(r);
    }

    @Test
    void upstreamReferrersApi_fetchedStoredAndServed() throws Exception {
        byte[] image = PullThroughCacheIT.pushImage(upstream, "lib/signed", "v1", "signed");
        Digest sig = sign("lib/signed", image, "signature one");
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("refapi")
                .upstreamRegistryUrl("http://127.0.0.1:" + upstream.port()));
        Digest subject = cached("refapi/lib/signed", "v1");

        String index = referrers("refapi/lib/signed", subject);
        assertThat(index).contains(sig.toString()).contains(SIGNATURE);
        HttpResponse<byte[]> deleted = upstream.send("DELETE", "/v2/lib/signed/manifests/" + sig, null);
        assertThat(deleted.statusCode()).as(TestServer.describe(deleted)).isEqualTo(202);
        HttpResponse<byte[]> stored = server.get("/v2/refapi/lib/signed/manifests/" + sig);
        assertThat(stored.statusCode()).as("stored here: served after the upstream lost it").isEqualTo(200);
        assertThat(referrers("refapi/lib/signed", subject)).as("served from the cache").contains(sig.toString());
        assertThat(server.get("/v2/refapi/lib/signed/referrers/" + subject + "?artifactType=other").statusCode())
                .isEqualTo(200);
    }

    @Test
    void upstreamWithoutReferrersApi_fallsBackToTheReferrersTagSchema() throws Exception {
        byte[] image = PullThroughCacheIT.pushImage(upstream, "lib/old", "v1", "old");
        Digest sig = sign("lib/old", image, "signature of an old registry");
        String artifact = TestServer.text(upstream.get("/v2/lib/old/manifests/" + sig, "Accept",
                MediaTypes.OCI_MANIFEST));
        String schemaIndex = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + sig + "\",\"size\":"
                + artifact.getBytes(StandardCharsets.UTF_8).length + ",\"artifactType\":\"" + SIGNATURE + "\"}]}";
        String schemaTag = Digest.sha256Of(image).toString().replace(':', '-');
        assertThat(upstream.putManifest("lib/old", schemaTag, MediaTypes.OCI_INDEX, schemaIndex).statusCode())
                .isEqualTo(201);
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("refold")
                .upstreamRegistryUrl("http://127.0.0.1:" + noReferrersApi.getAddress().getPort()));
        Digest subject = cached("refold/lib/old", "v1");

        assertThat(referrers("refold/lib/old", subject)).contains(sig.toString()).contains(SIGNATURE);
        assertThat(asked).as("the referrers API first, then the tag schema")
                .contains("GET /v2/lib/old/referrers/" + subject, "GET /v2/lib/old/manifests/" + schemaTag);
        assertThat(server.get("/v2/refold/lib/old/manifests/" + sig).statusCode()).isEqualTo(200);
        int before = asked.size();
        referrers("refold/lib/old", subject);
        assertThat(asked.subList(before, asked.size())).as("checked at most once per refresh interval")
                .noneMatch(a -> a.contains("/referrers/") || a.contains(schemaTag));
    }
}
