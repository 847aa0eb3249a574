package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.service.RepositoryView;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console pages issue 14 §1 added, over real HTTP: IAM user console passwords, the repository and registry
 * policy editors (the API's validation and messages), settings editing, paging past 200 repositories, the replication
 * and signing pages; escaping, CSRF and access filtering on each.
 */
class ConsolePagesIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final String PASSWORD = "correct horse battery";

    @BeforeAll
    static void seed() {
        server.app().stores().identities().createUser(A, "carol");
        // carol may describe pages/* and read their policies, nothing else
        server.app().stores().policies().putUserPolicy(A, "carol", "pages", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ecr:DescribeRepositories\","
                + "\"ecr:GetRepositoryPolicy\"],\"Resource\":\"arn:aws:ecr:*:" + A + ":repository/pages/*\"}]}");
        var admin = server.app().stores().services().admin(A, "test");
        for (String name : new String[] {"pages/open", "hidden/one"}) {
            admin.create(RepositoryName.of(name), RepositoryView.Settings.DEFAULT, Map.of());
        }
        adminWithStdin(PASSWORD + "\n", "set-console-password", "carol");
    }

    /** {@code berth admin ARGS} with {@code input} as its standard input (the password is never an argument). */
    private static String adminWithStdin(String input, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return server.admin(args);
        } finally {
            System.setIn(saved);
        }
    }

    private static ConsoleBrowser root() throws Exception {
        ConsoleBrowser b = new ConsoleBrowser(server.port());
        assertThat(b.signIn(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET).statusCode()).isEqualTo(303);
        return b;
    }

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
    void anIamUserSignsInWithItsConsolePasswordAndItsPoliciesGovernWhatItSees() throws Exception {
        String stored = server.app().stores().metadata().read(tx -> tx.identities().consolePassword(A, "carol"))
                .orElseThrow();
        assertThat(stored).startsWith("pbkdf2-sha256$210000$").doesNotContain(PASSWORD);

        ConsoleBrowser wrong = new ConsoleBrowser(server.port());
        HttpResponse<String> refused = wrong.signInWithPassword(A.value(), "carol", "not the password");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("role=\"alert\"").doesNotContain("not the password");
        assertThat(wrong.cookies).doesNotContainKey("berth_console");
        assertThat(new ConsoleBrowser(server.port()).signInWithPassword(A.value(), "nobody", PASSWORD).statusCode())
                .isEqualTo(401);

        ConsoleBrowser carol = new ConsoleBrowser(server.port());
        assertThat(carol.signInWithPassword(A.value(), "carol", PASSWORD).statusCode()).isEqualTo(303);
        String list = carol.get("/console/repositories").body();
        assertThat(list).contains("pages/open", "user/carol").doesNotContain("hidden/one");
        assertThat(carol.get("/console/repository?name=hidden/one").statusCode()).isEqualTo(403);
        assertThat(carol.get("/console/audit").statusCode()).isEqualTo(403);
        // may read the policy, may not set it: the refusal is audited like SetRepositoryPolicy
        assertThat(carol.get("/console/repository-policy?repository=pages/open").statusCode()).isEqualTo(200);
        assertThat(carol.post("/console/repository-policy", "csrf", carol.lastCsrf, "repository", "pages/open",
                "action", "save", "policy", "{}").statusCode()).isEqualTo(403);
        assertThat(audited("SetRepositoryPolicy", "AccessDeniedException")).contains("user/carol", "console");
        String logins = audited("ConsoleLogin", "Failure");
        assertThat(logins).contains("user/carol", "Success").doesNotContain(PASSWORD, "not the password");

        // a new password replaces the old one; the audit event names the user, never the password
        adminWithStdin("another password 2\n", "set-console-password", "carol");
        try {
            assertThat(new ConsoleBrowser(server.port()).signInWithPassword(A.value(), "carol", PASSWORD)
                    .statusCode()).isEqualTo(401);
            assertThat(new ConsoleBrowser(server.port()).signInWithPassword(A.value(), "carol",
                    "another password 2").statusCode()).isEqualTo(303);
            assertThat(audited("UpdateLoginProfile", "carol")).doesNotContain("another password 2", PASSWORD);
        } finally {
            adminWithStdin(PASSWORD + "\n", "set-console-password", "carol");
        }
    }

    @Test
    void theRepositoryPolicyEditorRefusesWhatSetRepositoryPolicyRefusesWithItsMessage() throws Exception {
        ConsoleBrowser b = root();
        b.get("/console/repository-policy?repository=pages/open");
        String invalid = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\","
                + "\"Action\":\"ecr:BatchGetImage\"}]}";
        HttpResponse<String> bad = b.post("/console/repository-policy", "csrf", b.lastCsrf, "repository",
                "pages/open", "action", "save", "policy", invalid);
        assertThat(bad.statusCode()).isEqualTo(400);
        String apiMessage = Ecr.errorOf(() -> server.ecr().setRepositoryPolicy(r -> r.repositoryName("pages/open")
                .policyText(invalid)));
        assertThat(apiMessage).startsWith("InvalidParameterException: ");
        assertThat(bad.body()).contains("role=\"alert\"", io.berth.server.console.Html.text(apiMessage.substring(
                "InvalidParameterException: ".length())), "Maybe");
        assertThat(server.app().stores().policies().repositoryPolicy(A, "pages/open")).isEmpty();

        String hostile = "</textarea><script>alert(1)</script>";
        String sidless = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"ecr:BatchGetImage\"}]}";
        assertThat(b.post("/console/repository-policy", "csrf", "wrong", "repository", "pages/open", "action",
                "save", "policy", sidless).statusCode()).as("CSRF").isEqualTo(403);
        HttpResponse<String> saved = b.post("/console/repository-policy", "csrf", b.lastCsrf, "repository",
                "pages/open", "action", "save", "policy", sidless);
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(server.app().stores().policies().repositoryPolicy(A, "pages/open")).hasValue(sidless);
        assertThat(audited("SetRepositoryPolicy", "pages/open")).contains(":root");
        // hostile text in the editor comes back escaped
        HttpResponse<String> echoed = b.post("/console/repository-policy", "csrf", b.lastCsrf, "repository",
                "pages/open", "action", "save", "policy", "{\"x\":\"" + hostile + "\"");
        assertThat(echoed.statusCode()).isEqualTo(400);
        assertThat(echoed.body()).doesNotContain("<script>", "</textarea><script").contains("&lt;script&gt;");
    }

    @Test
    void theRegistryPolicyEditorValidatesAsPutRegistryPolicy() throws Exception {
        ConsoleBrowser b = root();
        b.get("/console/registry-policy");
        HttpResponse<String> bad = b.post("/console/registry-policy", "csrf", b.lastCsrf, "action", "save",
                "policy", "{\"Statement\":");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"", "Invalid parameter");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"ecr:ReplicateImage\"]}]}";
        assertThat(b.post("/console/registry-policy", "csrf", b.lastCsrf, "action", "save", "policy", policy)
                .statusCode()).isEqualTo(303);
        assertThat(server.app().stores().policies().registryPolicy(A)).hasValue(policy);
        assertThat(audited("PutRegistryPolicy", "console")).contains(":root");
    }

    @Test
    void settingsAreEditedWithTheApisChecks() throws Exception {
        ConsoleBrowser b = root();
        String page = b.get("/console/settings?repository=pages/open").body();
        assertThat(page).contains("Encryption", "AES256", "cannot change");
        HttpResponse<String> bad = b.post("/console/settings", "csrf", b.lastCsrf, "repository", "pages/open",
                "action", "mutability", "mutability", "IMMUTABLE_WITH_EXCLUSION", "filters", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("ImageTagMutabilityExclusionFilters can&#39;t be null");
        assertThat(b.post("/console/settings", "csrf", b.lastCsrf, "repository", "pages/open", "action",
                "mutability", "mutability", "IMMUTABLE_WITH_EXCLUSION", "filters", "latest\ndev-*").statusCode())
                .isEqualTo(303);
        assertThat(b.post("/console/settings", "csrf", b.lastCsrf, "repository", "pages/open", "action", "scanning",
                "scanOnPush", "true").statusCode()).isEqualTo(303);
        assertThat(b.post("/console/settings", "csrf", b.lastCsrf, "repository", "pages/open", "action", "tags",
                "tags", "team=<b>web</b>\ncost=42").statusCode()).isEqualTo(303);
        var admin = server.app().stores().services().admin(A);
        RepositoryView r = admin.require(RepositoryName.of("pages/open"));
        assertThat(r.settings().tagMutability()).isEqualTo(TagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(r.settings().exclusionFilters()).containsExactly("latest", "dev-*");
        assertThat(server.app().stores().services().admin(A).resourceTags(RepositoryName.of("pages/open")))
                .containsEntry("team", "<b>web</b>").containsEntry("cost", "42");
        String after = b.get("/console/settings?repository=pages/open").body();
        assertThat(after).contains("selected>IMMUTABLE_WITH_EXCLUSION", "checked", "team=&lt;b&gt;web&lt;/b&gt;")
                .doesNotContain("<b>web");
        // the tag form replaces: a line removed is untagged
        assertThat(b.post("/console/settings", "csrf", b.lastCsrf, "repository", "pages/open", "action", "tags",
                "tags", "cost=43").statusCode()).isEqualTo(303);
        assertThat(admin.resourceTags(RepositoryName.of("pages/open"))).containsExactly(Map.entry("cost", "43"));
        assertThat(audited("PutImageTagMutability", "pages/open")).contains("console");
    }

    @Test
    void theRepositoryListPagesPast200RowsBothWays() throws Exception {
        var admin = server.app().stores().services().admin(A, "test");
        for (int i = 0; i < 205; i++) {
            admin.create(RepositoryName.of(String.format("paged/r%03d", i)), RepositoryView.Settings.DEFAULT, Map.of());
        }
        ConsoleBrowser b = root();
        String first = b.get("/console/repositories?q=paged/").body();
        assertThat(rows(first)).hasSize(200).first().isEqualTo("paged/r000");
        assertThat(first).doesNotContain("Previous page");
        String next = link(first, "Next page");
        String second = b.get(next).body();
        assertThat(rows(second)).containsExactly("paged/r200", "paged/r201", "paged/r202", "paged/r203",
                "paged/r204");
        assertThat(second).doesNotContain("Next page");
        List<String> back = rows(b.get(link(second, "Previous page")).body());
        assertThat(back).hasSize(200).first().isEqualTo("paged/r000");
        assertThat(back).last().isEqualTo("paged/r199");
    }

    private static List<String> rows(String page) {
        Matcher m = Pattern.compile("<td><a href=\"/console/repository\\?name=[^\"]*\">([^<]*)</a>").matcher(page);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String link(String page, String label) {
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\">" + label + "</a>").matcher(page);
        assertThat(m.find()).as("a %s link", label).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    @Test
    void replicationRulesSigningRequirementsAndWebhooksHaveTheirPages() throws Exception {
        server.ecr().putReplicationConfiguration(r -> r.replicationConfiguration(c -> c.rules(rule -> rule
                .destinations(d -> d.region("us-west-2").registryId("111122223333"))
                .repositoryFilters(f -> f.filter("pages").filterType("PREFIX_MATCH")))));
        ConsoleBrowser b = root();
        String replication = b.get("/console/replication").body();
        assertThat(replication).contains("us-west-2 / 111122223333", "pages");
        server.admin("replication", "--destination", "us-west-2:111122223333", "--propagate-tag-moves", "true");
        server.admin("replication", "--destination", "us-west-2:111122223333", "--tag-filter", "release-*");
        assertThat(b.get("/console/replication").body()).as("Berth's opt-ins beside the destination")
                .contains("us-west-2 / 111122223333 (tag moves propagate; tags release-*)");
        assertThat(b.get("/console/signing").body()).contains("Signing requirements", "berth admin signing require");
        assertThat(b.get("/console/pull-through").statusCode()).isEqualTo(200);
        assertThat(b.get("/console/webhooks").body()).contains("Deliveries", "DEAD");
        ConsoleBrowser carol = new ConsoleBrowser(server.port());
        assertThat(carol.signInWithPassword(A.value(), "carol", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(carol.get("/console/replication").statusCode()).isEqualTo(403);
        assertThat(carol.get("/console/webhooks").statusCode()).isEqualTo(403);
        assertThat(carol.get("/console/registry-policy").statusCode()).isEqualTo(403);
    }
}
