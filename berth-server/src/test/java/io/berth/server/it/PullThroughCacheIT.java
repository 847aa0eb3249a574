package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.auth.Identities;
import io.berth.server.config.PullThroughConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleResponse;
import software.amazon.awssdk.services.ecr.model.DescribePullThroughCacheRulesResponse;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.ValidatePullThroughCacheRuleResponse;

/**
 * The pull-through cache end to end: a second Berth in the same JVM (open, no auth) is the upstream; the Berth under
 * test has rules whose prefixes map onto it. Rule CRUD and its errors through the SDK; first pulls byte-identical;
 * later pulls local, with the upstream stopped; a moved tag refreshed only after the (short) refresh interval; a
 * missing tag; an upstream that is down; and a caller without ecr:BatchImportUpstreamImage.
 */
class PullThroughCacheIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(PullThroughConfig.REFRESH_INTERVAL, "2s");

    static final TestServer upstream = new TestServer().insecureNoAuth();
    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream.beforeAll(null);
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.afterAll(null);
    }

    private static EcrClient ecr() { return server.ecr(); }

    private static String url(TestServer s) { return "http://127.0.0.1:" + s.port(); }

    /** An image (config and one layer) pushed to {@code s} as {@code repo:tag}; its manifest bytes. */
    static byte[] pushImage(TestServer s, String repo, String tag, String seed) throws Exception {
        byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer bytes of " + seed + " ").repeat(2000).getBytes(StandardCharsets.UTF_8);
        Digest c = s.pushBlob(repo, config);
        Digest l = s.pushBlob(repo, layer);
        String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
        HttpResponse<byte[]> r = s.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(201);
        return manifest.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean exists(String repo) {
        return server.app().stores().services().admin(A).find(RepositoryName.of(repo)).isPresent();
    }

    @Test
    void rules_createDescribeUpdateDelete_inEcrShapes() {
        CreatePullThroughCacheRuleResponse created = ecr().createPullThroughCacheRule(b -> b
                .ecrRepositoryPrefix("crud/").upstreamRegistryUrl("quay.io").upstreamRegistry("quay"));
        assertThat(created.ecrRepositoryPrefix()).as("prefix sent 'crud/'").isEqualTo("crud");
        assertThat(created.upstreamRegistryUrl()).isEqualTo("quay.io");
        assertThat(created.upstreamRegistryAsString()).isEqualTo("quay");
        assertThat(created.registryId()).isEqualTo(TestServer.ACCOUNT);
        assertThat(created.upstreamRepositoryPrefix()).isEqualTo("ROOT");
        assertThat(created.createdAt()).isNotNull();
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("crud2").upstreamRegistryUrl("registry.k8s.io"));

        PullThroughCacheRule described = ecr().describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("crud"))
                .pullThroughCacheRules().get(0);
        assertThat(described.upstreamRegistryUrl()).isEqualTo("quay.io");
        assertThat(described.upstreamRegistryAsString()).isEqualTo("quay");
        assertThat(described.createdAt()).isEqualTo(created.createdAt());

        DescribePullThroughCacheRulesResponse first = ecr().describePullThroughCacheRules(b -> b
                .ecrRepositoryPrefixes("crud", "crud2").maxResults(1));
        assertThat(first.pullThroughCacheRules()).extracting(PullThroughCacheRule::ecrRepositoryPrefix)
                .containsExactly("crud");
        assertThat(ecr().describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("crud", "crud2")
                .nextToken(first.nextToken())).pullThroughCacheRules())
                .extracting(PullThroughCacheRule::ecrRepositoryPrefix).as("second page").containsExactly("crud2");
        assertThat(ecr().describePullThroughCacheRules(b -> { }).pullThroughCacheRules())
                .extracting(PullThroughCacheRule::ecrRepositoryPrefix).contains("crud", "crud2");
        assertThat(ecr().describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("crud2"))
                .pullThroughCacheRules().get(0).upstreamRegistryAsString()).as("kind inferred from the URL")
                .isEqualTo("k8s");

        assertThat(ecr().updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("crud")).updatedAt()).isNotNull();
        assertThat(ecr().deletePullThroughCacheRule(b -> b.ecrRepositoryPrefix("crud")).upstreamRegistryUrl())
                .as("Delete answers with the deleted rule").isEqualTo("quay.io");
        assertThat(Ecr.errorOf(() -> ecr().describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("crud"))))
                .startsWith("PullThroughCacheRuleNotFoundException: The pull through cache rule with prefix 'crud' "
                        + "does not exist");
    }

    @Test
    void rules_badInput_asEcrNamesIt() {
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("dup").upstreamRegistryUrl("quay.io"));
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("dup/")
                .upstreamRegistryUrl("public.ecr.aws")))).startsWith("PullThroughCacheRuleAlreadyExistsException: "
                + "A pull through cache rule with prefix 'dup' already exists");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("dup/nested")
                .upstreamRegistryUrl("quay.io")))).as("a prefix nested in another rule's")
                .startsWith("InvalidParameterException: The prefix 'dup/nested' overlaps the prefix 'dup'");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("Bad")
                .upstreamRegistryUrl("quay.io")))).startsWith("ValidationException: 1 validation error detected: "
                + "Value 'Bad' at 'ecrRepositoryPrefix' failed to satisfy constraint");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("x")
                .upstreamRegistryUrl("quay.io")))).as("one character").contains("length greater than or equal to 2");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("creds")
                .upstreamRegistryUrl("https://user:pw@quay.io")))).as("credentials in the URL")
                .startsWith("InvalidParameterException: ").contains("must not contain credentials");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("kind")
                .upstreamRegistryUrl("ghcr.io").upstreamRegistry("quay"))))
                .startsWith("UnsupportedUpstreamRegistryException: The upstream registry URL 'ghcr.io' is not a "
                        + "supported URL for the upstream registry 'quay'");
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                .upstreamRegistryUrl("registry-1.docker.io").upstreamRegistry("docker-hub"))))
                .as("docker-hub without a credential").startsWith("InvalidParameterException: ")
                .contains("requires a credentialArn");
        String secret = "arn:aws:secretsmanager:us-east-1:" + TestServer.ACCOUNT
                + ":secret:ecr-pullthroughcache/hub-AbCdEf";
        assertThat(Ecr.errorOf(() -> ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                .upstreamRegistryUrl("registry-1.docker.io").upstreamRegistry("docker-hub").credentialArn(secret))))
                .as("a credential naming no secret of the account")
                .startsWith("SecretNotFoundException: ").contains("was not found");
        assertThat(Ecr.errorOf(() -> ecr().updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("dup")
                .credentialArn(secret)))).startsWith("SecretNotFoundException: ");
        assertThat(Ecr.errorOf(() -> ecr().updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("none"))))
                .startsWith("PullThroughCacheRuleNotFoundException: ");
        assertThat(Ecr.errorOf(() -> ecr().deletePullThroughCacheRule(b -> b.ecrRepositoryPrefix("none"))))
                .startsWith("PullThroughCacheRuleNotFoundException: ");
        assertThat(exists("hub/library/x")).isFalse();
    }

    @Test
    void validate_logsInToTheUpstream() {
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("valid").upstreamRegistryUrl(url(upstream)));
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("dead").upstreamRegistryUrl("http://127.0.0.1:1"));
        ValidatePullThroughCacheRuleResponse ok = ecr().validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("valid"));
        assertThat(ok.isValid()).isTrue();
        assertThat(ok.failure()).isNull();
        ValidatePullThroughCacheRuleResponse bad = ecr().validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("dead"));
        assertThat(bad.isValid()).isFalse();
        assertThat(bad.failure()).contains("unreachable");
    }

    @Test
    void firstPull_byteIdentical_createsTheRepository_thenServedLocallyWithTheUpstreamStopped() throws Exception {
        TestServer gone = new TestServer().insecureNoAuth();
        gone.beforeAll(null);
        byte[] manifest;
        Digest digest;
        List<String> blobs;
        String childDigest;
        try {
            manifest = pushImage(gone, "lib/app", "v1", "offline");
            digest = Digest.sha256Of(manifest);
            // an index with that image as its child, under its own tag
            String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, digest, manifest.length);
            assertThat(gone.putManifest("lib/app", "multi", MediaTypes.OCI_INDEX, index).statusCode()).isEqualTo(201);
            childDigest = digest.toString();
            ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("gone").upstreamRegistryUrl(url(gone)));

            HttpResponse<byte[]> first = server.get("/v2/gone/lib/app/manifests/v1");
            assertThat(first.statusCode()).as(TestServer.describe(first)).isEqualTo(200);
            assertThat(first.body()).as("manifest bytes as the upstream has them").isEqualTo(manifest);
            assertThat(first.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
            assertThat(exists("gone/lib/app")).as("repository created by the first pull").isTrue();
            blobs = List.of(TestServer.text(first).split("\"digest\":\"")).stream().skip(1)
                    .map(s -> s.substring(0, s.indexOf('"'))).toList();
            for (String b : blobs) {
                HttpResponse<byte[]> ours = server.get("/v2/gone/lib/app/blobs/" + b);
                HttpResponse<byte[]> theirs = gone.get("/v2/lib/app/blobs/" + b);
                assertThat(ours.statusCode()).as(TestServer.describe(ours)).isEqualTo(200);
                assertThat(ours.body()).as("blob " + b + " byte-identical").isEqualTo(theirs.body());
            }
            HttpResponse<byte[]> multi = server.get("/v2/gone/lib/app/manifests/multi");
            assertThat(multi.statusCode()).as(TestServer.describe(multi)).isEqualTo(200);
            assertThat(TestServer.text(multi)).contains(childDigest);
        } finally {
            gone.afterAll(null); // the upstream is gone from here on
        }
        Thread.sleep(2100); // past the refresh interval: the tag pull tries upstream, fails, serves the cached copy
        HttpResponse<byte[]> again = server.get("/v2/gone/lib/app/manifests/v1");
        assertThat(again.statusCode()).as("tag pulled with the upstream stopped: " + TestServer.describe(again))
                .isEqualTo(200);
        assertThat(again.body()).isEqualTo(manifest);
        HttpResponse<byte[]> byDigest = server.get("/v2/gone/lib/app/manifests/" + digest);
        assertThat(byDigest.statusCode()).as("digest pulled offline").isEqualTo(200);
        assertThat(server.head("/v2/gone/lib/app/manifests/multi").statusCode()).as("index offline").isEqualTo(200);
        for (String b : blobs) {
            assertThat(server.get("/v2/gone/lib/app/blobs/" + b).statusCode()).as("blob offline").isEqualTo(200);
        }
        HttpResponse<byte[]> never = server.get("/v2/gone/lib/other/manifests/v1");
        assertThat(never.statusCode()).as("uncached with the upstream down: " + TestServer.describe(never))
                .isEqualTo(502);
        assertThat(TestServer.text(never)).contains("\"UNAVAILABLE\"").contains("could not get lib/other:v1 from the "
                + "upstream registry").contains("unreachable");
        assertThat(exists("gone/lib/other")).as("nothing created for a failed first pull").isFalse();
    }

    @Test
    void movedTag_refreshedOnlyAfterTheInterval_andMissingTagIsManifestUnknown() throws Exception {
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("fresh").upstreamRegistryUrl(url(upstream)));
        byte[] v1 = pushImage(upstream, "team/svc", "latest", "one");
        assertThat(server.get("/v2/fresh/team/svc/manifests/latest").body()).isEqualTo(v1);
        byte[] v2 = pushImage(upstream, "team/svc", "latest", "two");
        assertThat(server.get("/v2/fresh/team/svc/manifests/latest").body()).as("within the refresh interval")
                .isEqualTo(v1);
        Thread.sleep(2100);
        HttpResponse<byte[]> refreshed = server.get("/v2/fresh/team/svc/manifests/latest");
        assertThat(refreshed.body()).as("after the interval: " + TestServer.describe(refreshed)).isEqualTo(v2);
        assertThat(server.get("/v2/fresh/team/svc/manifests/" + Digest.sha256Of(v1)).statusCode())
                .as("the old image stays, by digest").isEqualTo(200);

        HttpResponse<byte[]> missing = server.get("/v2/fresh/team/svc/manifests/nope");
        assertThat(missing.statusCode()).as(TestServer.describe(missing)).isEqualTo(404);
        assertThat(TestServer.text(missing)).contains("\"MANIFEST_UNKNOWN\"");
        HttpResponse<byte[]> noRepo = server.get("/v2/fresh/team/absent/manifests/v1");
        assertThat(noRepo.statusCode()).as(TestServer.describe(noRepo)).isEqualTo(404);
        assertThat(exists("fresh/team/absent")).as("no repository for a missing upstream image").isFalse();
    }

    @Test
    void firstPull_needsBatchImportUpstreamImage() throws Exception {
        ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("acl").upstreamRegistryUrl(url(upstream)));
        byte[] manifest = pushImage(upstream, "lib/locked", "v1", "locked");
        Identities ids = server.app().stores().identities();
        ids.createUser(A, "puller");
        Identities.NewKey k = ids.createAccessKey(A, "puller");
        server.app().stores().policies().putUserPolicy(A, "puller", "pull", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ecr:BatchGetImage\","
                + "\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchCheckLayerAvailability\",\"ecr:CreateRepository\"],"
                + "\"Resource\":\"*\"}]}");
        String auth = TestServer.basic(k.accessKeyId(), k.secret());
        HttpResponse<byte[]> denied = server.send(server.anonymous("/v2/acl/lib/locked/manifests/v1")
                .header("Authorization", auth).GET());
        assertThat(denied.statusCode()).as(TestServer.describe(denied)).isEqualTo(403);
        assertThat(TestServer.text(denied)).contains("\"DENIED\"").contains("ecr:BatchImportUpstreamImage");
        assertThat(exists("acl/lib/locked")).isFalse();

        server.app().stores().policies().putUserPolicy(A, "puller", "import", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:BatchImportUpstreamImage\","
                + "\"Resource\":\"*\"}]}");
        HttpResponse<byte[]> allowed = server.send(server.anonymous("/v2/acl/lib/locked/manifests/v1")
                .header("Authorization", auth).GET());
        assertThat(allowed.statusCode()).as(TestServer.describe(allowed)).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo(manifest);
    }
}
