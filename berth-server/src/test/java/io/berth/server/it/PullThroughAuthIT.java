package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.pullthrough.UpstreamClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream authentication. The Bearer token flow end to end: a small token service in front of an open Berth (as
 * Docker Hub, GHCR and Quay answer: a {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} challenge, a token
 * for the pull scope) is the upstream of a rule. Basic credentials through the upstream client against this Berth
 * itself (rules cannot name credentials until Berth stores secrets). And an upstream whose manifest does not match
 * the digest it declares: refused, nothing stored.
 */
class PullThroughAuthIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final TestServer upstream = new TestServer().insecureNoAuth();
    static HttpServer tokenFront;
    static final List<String> tokenScopes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        upstream.beforeAll(null);
        tokenFront = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenFront.createContext("/token", ex -> {
            tokenScopes.add(query(ex.getRequestURI(), "scope") + " for " + query(ex.getRequestURI(), "service"));
            reply(ex, 200, "{\"token\":\"tok-1\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8));
        });
        tokenFront.createContext("/v2/", PullThroughAuthIT::front);
        tokenFront.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tokenFront.stop(0);
        upstream.afterAll(null);
    }

    private static String query(URI uri, String name) {
        for (String p : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            if (p.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    /** Refuses without the token; forwards with it, lying about the digest of lib/evil's manifests. */
    private static void front(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!"Bearer tok-1".equals(auth)) {
            String port = String.valueOf(tokenFront.getAddress().getPort());
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + port
                    + "/token\",service=\"front.test\"");
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        HttpResponse<byte[]> r = UpstreamForward.forward(ex, upstream.port());
        r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (ex.getRequestURI().getPath().startsWith("/v2/lib/evil/manifests/")) {
            digest = Digest.sha256Of("something else".getBytes(StandardCharsets.UTF_8)).toString();
        }
        if (digest != null) {
            ex.getResponseHeaders().add("Docker-Content-Digest", digest);
        }
        reply(ex, r.statusCode(), r.body());
    }

    private static boolean exists(String repo) {
        return server.app().stores().services().admin(new RegistryId(TestServer.ACCOUNT))
                .find(RepositoryName.of(repo)).isPresent();
    }

    @Test
    void bearerTokenFlow_firstPullThroughTheTokenService() throws Exception {
        byte[] manifest = PullThroughCacheIT.pushImage(upstream, "lib/tok", "v1", "token");
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("bearer")
                .upstreamRegistryUrl("http://127.0.0.1:" + tokenFront.getAddress().getPort()));
        HttpResponse<byte[]> r = server.get("/v2/bearer/lib/tok/manifests/v1");
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(200);
        assertThat(r.body()).isEqualTo(manifest);
        assertThat(tokenScopes).as("token requests: the pull scope of the upstream repository, for its service")
                .contains("repository:lib/tok:pull for front.test");
        assertThat(server.ecr().validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("bearer")).isValid())
                .as("ValidatePullThroughCacheRule through the token flow").isTrue();
    }

    @Test
    void manifestNotMatchingItsDeclaredDigest_refused_nothingStored() throws Exception {
        PullThroughCacheIT.pushImage(upstream, "lib/evil", "v1", "evil");
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("liar")
                .upstreamRegistryUrl("http://127.0.0.1:" + tokenFront.getAddress().getPort()));
        HttpResponse<byte[]> r = server.get("/v2/liar/lib/evil/manifests/v1");
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(502);
        assertThat(TestServer.text(r)).contains("\"UNAVAILABLE\"").contains("hashes to").contains("nothing was stored");
        assertThat(exists("liar/lib/evil")).isFalse();
    }

    @Test
    void basicCredentials_throughTheUpstreamClient() throws Exception {
        byte[] manifest = PullThroughCacheIT.pushImage(server, "basic/app", "v1", "basic");
        UpstreamClient client = new UpstreamClient();
        String base = "http://127.0.0.1:" + server.port();
        UpstreamClient.Manifest m = client.manifest(UpstreamClient.Upstream.of(base, new UpstreamClient.Credentials(
                TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)), "basic/app", "v1").orElseThrow();
        assertThat(m.body()).isEqualTo(manifest);
        assertThat(m.digest()).isEqualTo(Digest.sha256Of(manifest));
        assertThatThrownBy(() -> client.manifest(UpstreamClient.Upstream.of(base, null), "basic/app", "v1"))
                .as("anonymous against an upstream that wants Basic")
                .isInstanceOf(UpstreamClient.UpstreamException.class).hasMessageContaining("requires credentials");
        assertThatThrownBy(() -> client.manifest(UpstreamClient.Upstream.of(base, new UpstreamClient.Credentials(
                TestServer.ROOT_KEY_ID, "wrong")), "basic/app", "v1"))
                .isInstanceOf(UpstreamClient.UpstreamException.class).hasMessageContaining("401");
    }
}
