package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static io.berth.server.it.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.server.auth.ActivePrincipals;
import io.berth.server.crypto.MasterKey;
import io.berth.server.auth.TokenService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v2/} authentication and authorisation against the real server. */
class RegistryAuthIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final RegistryId ACCOUNT = new RegistryId(TestServer.ACCOUNT);

    private TokenService tokensAt(Instant at) {
        return tokens(server.app().tokens().binding(), at);
    }

    /** The server's master key, with another binding and clock: what a second deployment would issue. */
    private TokenService tokens(TokenService.Binding binding, Instant at) {
        return new TokenService(MasterKey.load(Optional.empty(), server.data()), binding, ActivePrincipals.ANY,
                Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void base_noCredentials_401WithEcrChallenge() throws Exception {
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/"));
        assertThat(r.statusCode()).as("GET /v2/ without credentials: %s", describe(r)).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("challenge of %s", describe(r))
                .contains("Basic realm=\"http://127.0.0.1:" + server.port() + "/\",service=\"ecr.amazonaws.com\"");
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).as("API version header")
                .contains("registry/2.0");
        assertThat(text(r)).as("error body").contains("\"code\":\"UNAUTHORIZED\"");
    }

    @Test
    void manifest_noCredentials_401NotAResourceError() throws Exception {
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/some/repo/manifests/latest"));
        assertThat(r.statusCode()).as("anonymous manifest GET: %s", describe(r)).isEqualTo(401);
    }

    @Test
    void base_accessKeyAndSecret_200() throws Exception {
        HttpResponse<byte[]> r = server.send(server.request("/v2/"));
        assertThat(r.statusCode()).as("GET /v2/ with key:secret: %s", describe(r)).isEqualTo(200);
    }

    @Test
    void base_wrongSecretOrUnknownKey_401() throws Exception {
        for (String auth : new String[] {TestServer.basic(TestServer.ROOT_KEY_ID, "wrong-secret-0123456789"),
                TestServer.basic("AKIAUNKNOWN000000000", TestServer.ROOT_SECRET), "Bearer abc", "Basic !!!"}) {
            HttpResponse<byte[]> r = server.send(server.anonymous("/v2/").header("Authorization", auth));
            assertThat(r.statusCode()).as("GET /v2/ with %s: %s", auth, describe(r)).isEqualTo(401);
            assertThat(text(r)).as("error code with %s", auth).contains("UNAUTHORIZED");
        }
    }

    @Test
    void pushAndPull_registryToken_accepted() throws Exception {
        TokenService.Token t = tokensAt(Instant.now()).issue(Principal.root(ACCOUNT, TestServer.ROOT_KEY_ID));
        String auth = "Basic " + t.authorizationToken();
        byte[] blob = "token-pushed".getBytes(StandardCharsets.UTF_8);
        String digest = io.berth.core.model.Digest.sha256Of(blob).toString();
        HttpResponse<byte[]> push = server.send(server.anonymous("/v2/tok/app/blobs/uploads/?digest=" + digest)
                .header("Authorization", auth).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob)));
        assertThat(push.statusCode()).as("monolithic push with AWS:<token>: %s", describe(push)).isEqualTo(201);
        HttpResponse<byte[]> pull = server.send(server.anonymous("/v2/tok/app/blobs/" + digest)
                .header("Authorization", auth));
        assertThat(pull.statusCode()).as("pull with AWS:<token>: %s", describe(pull)).isEqualTo(200);
    }

    @Test
    void base_expiredToken_401Unauthorized() throws Exception {
        TokenService.Token old = tokensAt(Instant.now().minus(Duration.ofHours(13)))
                .issue(Principal.root(ACCOUNT, TestServer.ROOT_KEY_ID));
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/").header("Authorization",
                "Basic " + old.authorizationToken()));
        assertThat(r.statusCode()).as("token issued 13 h ago: %s", describe(r)).isEqualTo(401);
        assertThat(text(r)).as("error code").contains("UNAUTHORIZED");
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("challenge again").isPresent();
    }

    @Test
    void base_forgedToken_401Unauthorized() throws Exception {
        TokenService foreign = new TokenService(MasterKey.of(new byte[32]), server.app().tokens()
                .binding(), ActivePrincipals.ANY, Clock.systemUTC());
        String forged = foreign.issue(Principal.root(ACCOUNT, null)).authorizationToken();
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/").header("Authorization", "Basic " + forged));
        assertThat(r.statusCode()).as("token signed with another master key: %s", describe(r)).isEqualTo(401);
        assertThat(text(r)).as("error code").contains("UNAUTHORIZED");
    }

    @Test
    void otherAccountHost_validRootKey_403Denied() throws Exception {
        String response = server.rawGet("123456789012.dkr.ecr.us-east-1.localhost", "/v2/app/manifests/latest",
                server.basicAuth());
        assertThat(response).as("manifest GET at another account's host as account %s's root", ACCOUNT)
                .startsWith("HTTP/1.1 403").contains("DENIED")
                .contains("is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:"
                        + "123456789012:repository/app");
        String own = server.rawGet(TestServer.ACCOUNT + ".dkr.ecr.us-east-1.localhost", "/v2/", server.basicAuth());
        assertThat(own).as("GET /v2/ at the own account's host").startsWith("HTTP/1.1 200");
    }

    /**
     * Issue 7, item 12: a token from another deployment that shares the master key was accepted, even for a key ID
     * that does not exist here, and it pushed. Now the token's deployment and region are part of its signing key,
     * and the key it names must exist and be active here.
     */
    @Test
    void token_otherDeploymentOrRegionOrUnknownKey_sameMasterKey_401() throws Exception {
        TokenService.Binding here = server.app().tokens().binding();
        Principal unknownKey = Principal.root(ACCOUNT, "AKIANOTHERDEPLOY0001");
        Principal realKey = Principal.root(ACCOUNT, TestServer.ROOT_KEY_ID);
        String[][] cases = {
                {"another deployment, same master key", tokens(new TokenService.Binding(
                        "00000000000000000000000000000000", here.region()), Instant.now()).issue(realKey)
                        .authorizationToken()},
                {"another region, same master key", tokens(new TokenService.Binding(here.deploymentId(),
                        "eu-west-1"), Instant.now()).issue(realKey).authorizationToken()},
                {"this deployment's binding, a key ID that does not exist here", tokensAt(Instant.now())
                        .issue(unknownKey).authorizationToken()}};
        for (String[] c : cases) {
            byte[] blob = ("pushed with a token from " + c[0]).getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> push = server.send(server.anonymous("/v2/tok/foreign/blobs/uploads/?digest="
                    + io.berth.core.model.Digest.sha256Of(blob)).header("Authorization", "Basic " + c[1])
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob)));
            assertThat(push.statusCode()).as("push with a token of %s: %s", c[0], describe(push)).isEqualTo(401);
            assertThat(text(push)).as("error code, %s", c[0]).contains("UNAUTHORIZED");
        }
    }

    /** Issue 7, item 12: a revoked user's token pulled for up to 12 h; now it stops within the 5 s cache. */
    @Test
    void token_userRevoked_401WithinSeconds() throws Exception {
        String out = server.admin("create-user", "--account", TestServer.ACCOUNT, "--with-key", "revoked-later");
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("(AKIA[A-Z0-9]{16})").matcher(out);
        assertThat(key.find()).as("access key in %s", out).isTrue();
        Principal user = Principal.user(ACCOUNT, "revoked-later", key.group(1));
        String auth = "Basic " + server.app().tokens().issue(user).authorizationToken();
        HttpResponse<byte[]> before = server.send(server.anonymous("/v2/").header("Authorization", auth));
        assertThat(before.statusCode()).as("GET /v2/ with the user's token: %s", describe(before)).isEqualTo(200);

        server.admin("revoke-user", "--account", TestServer.ACCOUNT, "revoked-later");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<byte[]> after;
        do {
            Thread.sleep(250);
            after = server.send(server.anonymous("/v2/").header("Authorization", auth));
        } while (after.statusCode() == 200 && System.nanoTime() < deadline);
        assertThat(after.statusCode()).as("GET /v2/ with the revoked user's token: %s", describe(after))
                .isEqualTo(401);
        assertThat(text(after)).as("why").contains("revoked");
    }
}
