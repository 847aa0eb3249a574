package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RepositoryAdmin;
import io.berth.core.service.RepositoryView;
import io.berth.server.auth.Identities;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Issue #7 item 4: the catalog's {@code Link} and DescribeRepositories' {@code nextToken} carried the last name of
 * the unfiltered page, so walking them enumerated names the caller may not describe. A user who may describe three
 * repositories among 1,203 walks both listings one item per page: every body, Link and token (decoded) is free of
 * hidden names, and each visible name comes exactly once. A run of 1,200 hidden names exercises the read bound.
 */
class PaginationLeakIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final List<String> VISIBLE = List.of("pg/a-visible-1", "pg/c-visible-2", "pg/e-visible-3");
    static final int HIDDEN_RUN = 1200;
    static Identities.NewKey walker;

    @BeforeAll
    static void repositoriesAndUser() {
        RepositoryAdmin admin = server.app().stores().services().admin(A);
        List<String> names = new ArrayList<>(VISIBLE);
        for (int i = 0; i < HIDDEN_RUN; i++) {
            names.add(String.format("pg/b-hidden-%04d", i));
        }
        names.add("pg/d-hidden-x");
        names.add("pg/f-hidden-last");
        names.forEach(n -> admin.create(RepositoryName.of(n), RepositoryView.Settings.DEFAULT, Map.of()));
        Identities ids = server.app().stores().identities();
        ids.createUser(A, "walker");
        walker = ids.createAccessKey(A, "walker");
        server.app().stores().policies().putUserPolicy(A, "walker", "describe", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:DescribeRepositories\",\"Resource\":"
                + "\"arn:aws:ecr:us-east-1:" + A + ":repository/pg/*-visible-*\"}]}");
    }

    private static final Pattern LINK = Pattern.compile("^</v2/_catalog\\?last=([^&>]*)&n=1>; rel=\"next\"$");

    /** What a page's continuation reveals: the decoded {@code last}, and for a sealed one its decoded bytes too. */
    private static String revealed(String last) {
        String decoded = URLDecoder.decode(last, StandardCharsets.UTF_8);
        if (!decoded.startsWith("~")) {
            return decoded;
        }
        return decoded + " " + new String(Base64.getUrlDecoder().decode(decoded.substring(1)),
                StandardCharsets.ISO_8859_1);
    }

    private static List<String> walkCatalog(String authorization) throws Exception {
        List<String> seen = new ArrayList<>();
        String path = "/v2/_catalog?n=1";
        boolean sealedLink = false;
        for (int request = 0; path != null; request++) {
            assertThat(request).as("pages walked (each reads at most ~1,000 hidden rows)").isLessThan(50);
            var b = server.anonymous(path);
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<byte[]> r = server.send(b);
            assertThat(r.statusCode()).as("%s", TestServer.describe(r)).isEqualTo(200);
            assertThat(TestServer.text(r)).as("body of %s", path).doesNotContain("hidden");
            Matcher m = r.headers().firstValue("Link").map(LINK::matcher).orElse(null);
            for (String name : TestServer.text(r).replaceFirst("^\\{\"repositories\":\\[", "")
                    .replaceAll("[\\]}\"]", "").split(",")) {
                if (!name.isBlank()) {
                    seen.add(name.trim());
                }
            }
            if (m == null) {
                path = null;
            } else {
                assertThat(m.matches()).as("Link %s", r.headers().firstValue("Link")).isTrue();
                assertThat(revealed(m.group(1))).as("what the Link of %s reveals", path).doesNotContain("hidden");
                sealedLink |= URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).startsWith("~");
                path = "/v2/_catalog?last=" + m.group(1) + "&n=1";
            }
        }
        assertThat(sealedLink).as("the 1,200 hidden names made a page stop at its read bound").isTrue();
        return seen;
    }

    @Test
    void catalogWalk_nEquals1_showsEveryVisibleNameOnce_revealsNoHiddenOne() throws Exception {
        assertThat(walkCatalog(TestServer.basic(walker.accessKeyId(), walker.secret())))
                .as("names walker saw, in order").containsExactlyElementsOf(VISIBLE);
    }

    @Test
    void catalogWalk_anonymous_revealsNothing() throws Exception {
        HttpResponse<byte[]> r = server.send(server.anonymous("/v2/_catalog?n=1"));
        assertThat(TestServer.describe(r)).as("anonymous GET /v2/_catalog?n=1").doesNotContain("hidden")
                .doesNotContain("visible");
        Optional<String> link = r.headers().firstValue("Link");
        link.ifPresent(l -> assertThat(revealed(l.replaceAll("^.*last=([^&>]*).*$", "$1")))
                .doesNotContain("hidden").doesNotContain("visible"));
    }

    @Test
    void describeRepositoriesWalk_maxResults1_showsEveryVisibleOnce_tokensRevealNothing() {
        List<String> seen = new ArrayList<>();
        try (EcrClient ecr = Ecr.client(server, walker.accessKeyId(), walker.secret())) {
            String token = null;
            for (int request = 0; request == 0 || token != null; request++) {
                assertThat(request).as("DescribeRepositories pages").isLessThan(50);
                String t = token;
                DescribeRepositoriesResponse page = ecr.describeRepositories(q -> q.maxResults(1).nextToken(t));
                page.repositories().stream().map(Repository::repositoryName).forEach(seen::add);
                token = page.nextToken();
                if (token != null) {
                    assertThat(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1))
                            .as("decoded nextToken").doesNotContain("hidden").doesNotContain("pg/");
                }
            }
            assertThat(seen).as("repositories walker saw, in order").containsExactlyElementsOf(VISIBLE);

            String catalogCursor = "AAAA";
            String legacy = Base64.getUrlEncoder().withoutPadding().encodeToString("repo:pg/b-hidden-0001"
                    .getBytes(StandardCharsets.UTF_8));
            for (String forged : List.of(catalogCursor, legacy)) {
                assertThatThrownBy(() -> ecr.describeRepositories(q -> q.maxResults(1).nextToken(forged)))
                        .as("nextToken %s", forged).isInstanceOfSatisfying(EcrException.class, e ->
                                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException"));
            }
        }
    }

    @Test
    void catalog_plainLastStillWorks_foreignCursorIs400() throws Exception {
        HttpResponse<byte[]> r = server.get("/v2/_catalog?last=pg/b-hidden-1199&n=2");
        assertThat(TestServer.text(r)).as("the root, after a plain last=<name> (OCI spec)")
                .isEqualTo("{\"repositories\":[\"pg/c-visible-2\",\"pg/d-hidden-x\"]}");
        assertThat(r.headers().firstValue("Link")).as("continues after the last name shown")
                .hasValue("</v2/_catalog?last=pg%2Fd-hidden-x&n=2>; rel=\"next\"");
        HttpResponse<byte[]> forged = server.get("/v2/_catalog?last=~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&n=2");
        assertThat(forged.statusCode()).as("a sealed cursor this server did not issue: %s",
                TestServer.describe(forged)).isEqualTo(400);
        assertThat(TestServer.text(forged)).contains("\"UNSUPPORTED\"");
    }
}
