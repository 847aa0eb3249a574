package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.auth.Identities;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web console over real HTTP against a real server: sign-in and its cookie, session fixation, CSRF refusal,
 * escaping of hostile text, access filtering by the same policies as the APIs, and the lifecycle preview.
 */
class ConsoleIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static Identities.NewKey alice;

    @BeforeAll
    static void seed() throws Exception {
        Identities ids = server.app().stores().identities();
        ids.createUser(A, "alice");
        alice = ids.createAccessKey(A, "alice");
        // alice may describe team/* only
        server.app().stores().policies().putUserPolicy(A, "alice", "team", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ecr:DescribeRepositories\","
                + "\"ecr:DescribeImages\"],\"Resource\":\"arn:aws:ecr:*:" + A + ":repository/team/*\"}]}");
        for (String repo : new String[] {"team/app", "secret/vault"}) {
            Digest config = server.pushBlob(repo, Fixtures.EMPTY_JSON);
            byte[] layer = ("layer of " + repo).getBytes(StandardCharsets.UTF_8);
            Digest l = server.pushBlob(repo, layer);
            assertThat(server.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, Fixtures.ociManifest(config,
                    Fixtures.EMPTY_JSON.length, l, layer.length)).statusCode()).isEqualTo(201);
        }
    }

    private static ConsoleBrowser root() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        assertThat(b.signIn(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET).statusCode()).isEqualTo(303);
        return b;
    }

    @Test
    void signInSetsAFreshStrictHttpOnlyCookieAndIgnoresAPlantedOne() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        assertThat(b.get("/console/repositories").headers().firstValue("Location")).hasValue("/console/signin");
        b.cookies.put("berth_console", "planted-by-an-attacker");
        assertThat(b.get("/console/repositories").statusCode()).isEqualTo(303); // a planted ID is no session
        HttpResponse<String> r = b.signIn(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
        assertThat(r.statusCode()).isEqualTo(303);
        String cookie = ConsoleBrowser.setCookies(r).stream().filter(c -> c.startsWith("berth_console=")).findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console").doesNotContain("Secure");
        String id = cookie.substring("berth_console=".length(), cookie.indexOf(';'));
        assertThat(id).isNotEqualTo("planted-by-an-attacker").hasSize(43); // 256 bits, base64url
        HttpResponse<String> page = b.get("/console/repositories");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("default-src 'none'"));
        assertThat(page.body()).contains("team/app", "secret/vault", "<label for=\"q\">");

        // sign-out ends the session on the server, not only in the browser
        assertThat(b.post("/console/signout", "csrf", b.lastCsrf).statusCode()).isEqualTo(303);
        b.cookies.put("berth_console", id);
        assertThat(b.get("/console/repositories").statusCode()).isEqualTo(303);
    }

    @Test
    void aWrongSecretIsRefusedAndAudited() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        HttpResponse<String> r = b.signIn(TestServer.ROOT_KEY_ID, "wrong-secret");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("wrong").doesNotContain("wrong-secret");
        assertThat(b.cookies).doesNotContainKey("berth_console");
        assertThat(b.signIn(alice.accessKeyId(), alice.secret()).statusCode()).isEqualTo(303);
        // the audit sink is asynchronous
        Instant until = Instant.now().plusSeconds(10);
        String audit = "";
        while (Instant.now().isBefore(until) && !(audit.contains("Failure") && audit.contains(alice.accessKeyId()))) {
            Thread.sleep(100);
            audit = server.app().stores().metadata().read(tx -> tx.audit().query(new io.berth.core.spi.meta
                    .AuditQuery(null, null, null, null, "ConsoleLogin", 100, null))).events().toString();
        }
        assertThat(audit).contains(TestServer.ROOT_KEY_ID, "Failure", "Success", alice.accessKeyId());
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenChangesNothing() throws Exception {
        ConsoleBrowser b = root();
        assertThat(b.post("/console/repositories", "name", "csrf/none").statusCode()).isEqualTo(403);
        assertThat(b.post("/console/repositories", "name", "csrf/wrong", "csrf", "x" + b.lastCsrf).statusCode())
                .isEqualTo(403);
        // another session's token is not this session's
        ConsoleBrowser other = root();
        other.get("/console/repositories");
        b.get("/console/repositories");
        assertThat(b.post("/console/repositories", "name", "csrf/other", "csrf", other.lastCsrf).statusCode())
                .isEqualTo(403);
        var admin = server.app().stores().services().admin(A);
        assertThat(admin.find(RepositoryName.of("csrf/none"))).isEmpty();
        assertThat(admin.find(RepositoryName.of("csrf/wrong"))).isEmpty();
        assertThat(admin.find(RepositoryName.of("csrf/other"))).isEmpty();

        HttpResponse<String> ok = b.post("/console/repositories", "name", "csrf/right", "csrf", b.lastCsrf,
                "mutability", "IMMUTABLE");
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(b.get(ok.headers().firstValue("Location").orElseThrow()).body()).contains("IMMUTABLE");
        assertThat(admin.find(RepositoryName.of("csrf/right"))).isPresent();
        assertThat(audited("CreateRepository", "csrf/right")).contains(":root");
    }

    /** The audit events named {@code eventName} once one of them mentions {@code expected} (the sink is async). */
    private static String audited(String eventName, String expected) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        String events = "";
        while (Instant.now().isBefore(until) && !events.contains(expected)) {
            Thread.sleep(100);
            events = server.app().stores().metadata().read(tx -> tx.audit().query(new io.berth.core.spi.meta
                    .AuditQuery(null, null, null, null, eventName, 100, null))).events().toString();
        }
        assertThat(events).contains(expected);
        return events;
    }

    @Test
    void hostileTextIsRenderedEscaped() throws Exception {
        ConsoleBrowser b = root();
        String hostile = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>";
        assertThat(b.get("/console/repositories?q=" + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8))
                .body()).doesNotContain("<script>", "<img").contains("&lt;script&gt;");
        // a valid policy whose rule description is markup: stored, then shown escaped in the editor
        String policy = "{\"rules\":[{\"rulePriority\":1,\"description\":\"" + hostile.replace("\"", "\\\"")
                + "\",\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}";
        b.get("/console/lifecycle?repository=team/app");
        assertThat(b.post("/console/lifecycle", "csrf", b.lastCsrf, "repository", "team/app", "action", "save",
                "policy", policy).statusCode()).isEqualTo(303);
        String editor = b.get("/console/lifecycle?repository=team/app").body();
        assertThat(editor).doesNotContain("<script>", "<img", "</textarea><script").contains("&lt;/textarea&gt;");
        // an invalid policy comes back escaped in the editor with the parser's message, and nothing is stored
        HttpResponse<String> bad = b.post("/console/lifecycle", "csrf", b.lastCsrf, "repository", "team/app",
                "action", "save", "policy", "{\"rules\":\"" + hostile + "\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"").doesNotContain("<script>");
        assertThat(server.app().stores().services().lifecyclePolicies(A, "test").get(RepositoryName.of("team/app"))
                .text()).isEqualTo(policy);
    }

    @Test
    void findingTextFromAVulnerabilitySourceIsRenderedEscaped() throws Exception {
        ConsoleBrowser b = root();
        String repoPage = b.get("/console/repository?name=team/app").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("digest=sha256%3A([0-9a-f]{64})").matcher(repoPage);
        assertThat(m.find()).isTrue();
        Digest digest = Digest.parse("sha256:" + m.group(1));
        // a scan whose finding carries markup in every text field a feed controls, and an unlisted severity
        String hostile = "<script>alert(1)</script>";
        String findings = "[{\"id\":\"CVE-1<b>\",\"description\":\"" + hostile + "\",\"uri\":\"javascript:alert(3)\","
                + "\"severity\":\"<i>WEIRD</i>\",\"package\":\"pkg" + hostile + "\",\"version\":\"1<u>\","
                + "\"fixedIn\":\"2<u>\",\"references\":[]}]";
        Instant now = Instant.now();
        server.app().stores().metadata().write(tx -> {
            long id = tx.repositories().get(A, RepositoryName.of("team/app")).orElseThrow().id();
            assertThat(tx.scans().start(id, digest, "BASIC", now)).isTrue();
            return tx.scans().finish(id, digest, now, new io.berth.core.spi.meta.ImageScanRecord(digest, "BASIC",
                    "COMPLETE", "done " + hostile, now, now, now, "{}", findings));
        });
        String page = b.get("/console/image?repository=team/app&digest=" + m.group(1).replaceFirst("^", "sha256:"))
                .body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "CVE-1&lt;b&gt;", "&lt;I&gt;WEIRD",
                "2&lt;u&gt;").doesNotContain("<script>", "<b>", "<u>", "javascript:");
    }

    @Test
    void aUserSeesOnlyTheRepositoriesItMayDescribe() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        assertThat(b.signIn(alice.accessKeyId(), alice.secret()).statusCode()).isEqualTo(303);
        String list = b.get("/console/repositories").body();
        assertThat(list).contains("team/app").doesNotContain("secret/vault");
        assertThat(b.get("/console/repository?name=team/app").body()).contains("v1", "sha256:");
        HttpResponse<String> denied = b.get("/console/repository?name=secret/vault");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).doesNotContain("v1");
        // a repository that does not exist is refused the same way: nothing is revealed
        assertThat(b.get("/console/repository?name=secret/none").statusCode()).isEqualTo(403);
        assertThat(b.post("/console/repositories", "csrf", b.lastCsrf, "name", "team/new").statusCode())
                .isEqualTo(403);
        // the refused change is in the audit trail like the API call it stands for
        assertThat(audited("CreateRepository", "AccessDeniedException")).contains("team/new", "user/alice",
                "console");
        assertThat(b.get("/console/audit").statusCode()).isEqualTo(403);
        assertThat(b.get("/console/jobs").statusCode()).isEqualTo(403);
    }

    @Test
    void theImagePageHasCommandsAndTheLifecyclePreviewRunsBeforeSaving() throws Exception {
        ConsoleBrowser b = root();
        String repoPage = b.get("/console/repository?name=secret/vault").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("digest=(sha256%3A[0-9a-f]{64})").matcher(repoPage);
        assertThat(m.find()).isTrue();
        String image = b.get("/console/image?repository=secret/vault&digest=" + m.group(1)).body();
        assertThat(image).contains("docker pull 127.0.0.1:" + server.port() + "/secret/vault@sha256:",
                "aws ecr describe-images --repository-name secret/vault", "No signatures", "Not scanned");
        // an index lists its platforms, each linked to its manifest's page
        String child = m.group(1).replace("%3A", ":");
        HttpResponse<byte[]> childManifest = server.get("/v2/secret/vault/manifests/" + child);
        assertThat(server.putManifest("secret/vault", "multi", MediaTypes.OCI_INDEX, Fixtures.index(
                MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, Digest.parse(child), childManifest.body().length))
                .statusCode()).isEqualTo(201);
        String withIndex = b.get("/console/repository?name=secret/vault").body();
        java.util.regex.Matcher idx = java.util.regex.Pattern.compile(
                "<td>multi</td><td><a href=\"/console/image\\?repository=secret%2Fvault&amp;digest="
                        + "(sha256%3A[0-9a-f]{64})")
                .matcher(withIndex);
        assertThat(idx.find()).as(withIndex).isTrue();
        assertThat(b.get("/console/image?repository=secret/vault&digest=" + idx.group(1)).body())
                .contains("Platforms", "linux/amd64", child);

        byte[] layer = "a second image".getBytes(StandardCharsets.UTF_8);
        Digest l = server.pushBlob("secret/vault", layer);
        Digest config = server.pushBlob("secret/vault", Fixtures.EMPTY_JSON);
        assertThat(server.putManifest("secret/vault", "v2", MediaTypes.OCI_MANIFEST, Fixtures.ociManifest(config,
                Fixtures.EMPTY_JSON.length, l, layer.length)).statusCode()).isEqualTo(201);
        b.get("/console/lifecycle?repository=secret/vault");
        String policy = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":"
                + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
        assertThat(b.post("/console/lifecycle", "csrf", b.lastCsrf, "repository", "secret/vault", "action",
                "preview", "policy", policy).statusCode()).isEqualTo(303);
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        String page = "";
        while (Instant.now().isBefore(until) && !page.contains(">COMPLETE<")) {
            page = b.get("/console/lifecycle?repository=secret/vault").body();
            Thread.sleep(200);
        }
        assertThat(page).contains(">COMPLETE<", "image(s) would expire", "EXPIRE");
        // previewing stored nothing
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.app().stores().services()
                .lifecyclePolicies(A, "test").get(RepositoryName.of("secret/vault")))
                .hasMessageContaining("Lifecycle policy does not exist");
    }
}
