package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.LifecycleRuns;
import io.berth.server.config.LifecycleConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.SigningRule;

/**
 * Verification on pull through the real server: a requirement set with {@code berth admin signing require} makes
 * {@code /v2} manifest GET/HEAD answer 403 DENIED and BatchGetImage AccessDeniedException, with the reason, for an
 * unsigned image, one signed by an untrusted profile, a tampered signature, a revoked signature and a revoked
 * profile; a valid signature is served. Also the admin commands (export-trust, verify) and lifecycle expiry of a
 * signed image taking its signature along.
 */
class SigningVerificationIT {
    @RegisterExtension
    static final TestServer server = new TestServer().with(LifecycleConfig.INTERVAL, "0");
    private static EcrClient ecr;
    private static SignerCalls signer;
    private static String trusted;
    private static String untrusted;
    /** Each pushed repository's config blob, which its manifest also names as its layer. */
    private static final java.util.Map<String, Digest> BLOBS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        ecr = server.ecr();
        signer = new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
        trusted = profile("trusted_p");
        untrusted = profile("untrusted_p");
        String life = profile("life_p");
        String revoked = profile("revoke_p"); // its own: the revocation test revokes it, whatever order tests run in
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(
                rule(trusted, "prod/signed", "prod/tamper"), rule(revoked, "prod/revoked", "prod/late"),
                rule(untrusted, "prod/untrusted"), rule(life, "life/*"))));
        server.admin("signing", "require", "--repository-filter", "prod/*", "--profile", trusted, revoked);
    }

    private static String profile(String name) throws Exception {
        var r = signer.call("PUT", "/signing-profiles/" + name, "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().get("arn").asText();
    }

    private static SigningRule rule(String arn, String... filters) {
        return SigningRule.builder().signingProfileArn(arn).repositoryFilters(java.util.Arrays.stream(filters)
                .map(f -> SigningRepositoryFilter.builder().filter(f).filterType("WILDCARD_MATCH").build())
                .toList()).build();
    }

    private static Digest pushSigned(String repo, String tag) throws Exception {
        Digest d = push(repo, tag);
        assertThat(SigningIT.awaitSigned(ecr, repo, d).signingStatuses()).extracting(s -> s.statusAsString())
                .containsOnly("COMPLETE");
        return d;
    }

    private static Digest push(String repo, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + tag + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Digest c = server.pushBlob(repo, config);
        BLOBS.put(repo, c);
        String manifest = Fixtures.ociManifest(c, config.length, c, config.length);
        assertThat(server.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
        return Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> pull(String repo, String ref) throws Exception {
        return server.get("/v2/" + repo + "/manifests/" + ref, "Accept", MediaTypes.OCI_MANIFEST);
    }

    private static void assertRefused(String repo, String ref, String why) throws Exception {
        HttpResponse<byte[]> r = pull(repo, ref);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(403);
        assertThat(TestServer.text(r)).contains("DENIED").contains(why);
        assertThat(server.head("/v2/" + repo + "/manifests/" + ref).statusCode()).as("HEAD").isEqualTo(403);
        assertThatThrownBy(() -> ecr.batchGetImage(b -> b.repositoryName(repo).imageIds(ImageIdentifier.builder()
                .imageTag(ref).build()))).isInstanceOfSatisfying(EcrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains(why);
                });
        HttpResponse<byte[]> blob = server.get("/v2/" + repo + "/blobs/" + BLOBS.get(repo));
        assertThat(blob.statusCode()).as("/v2 blob GET of its layer: %s", TestServer.describe(blob)).isEqualTo(403);
        assertThat(TestServer.text(blob)).contains("DENIED").contains("belongs to no image that may be pulled");
        assertThatThrownBy(() -> ecr.getDownloadUrlForLayer(b -> b.repositoryName(repo).layerDigest(
                BLOBS.get(repo).toString()))).as("GetDownloadUrlForLayer of its layer")
                .isInstanceOfSatisfying(EcrException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("belongs to no image that may be pulled");
                });
    }

    private static JsonNode signatureOf(String repo, Digest image) throws Exception {
        JsonNode referrers = SignerCalls.JSON.readTree(server.get("/v2/" + repo + "/referrers/" + image).body());
        return referrers.get("manifests").get(0);
    }

    @Test
    void unsignedAndUntrusted_areRefused_signed_isServed() throws Exception {
        push("prod/unsigned", "1.0");
        assertRefused("prod/unsigned", "1.0", "no Notary Project signature");
        SigningIT.awaitAudit(server, "PullRefused", "prod/unsigned");
        pushSigned("prod/untrusted", "1.0");
        assertRefused("prod/untrusted", "1.0", "no trusted profile");

        Digest signed = pushSigned("prod/signed", "1.0");
        assertThat(pull("prod/signed", "1.0").statusCode()).isEqualTo(200);
        assertThat(server.head("/v2/prod/signed/manifests/1.0").statusCode()).isEqualTo(200);
        assertThat(ecr.batchGetImage(b -> b.repositoryName("prod/signed").imageIds(ImageIdentifier.builder()
                .imageTag("1.0").build())).images()).hasSize(1);
        assertThat(ecr.getDownloadUrlForLayer(b -> b.repositoryName("prod/signed").layerDigest(
                BLOBS.get("prod/signed").toString())).downloadUrl()).contains("/layers/");
        assertThat(server.get("/v2/prod/signed/blobs/" + BLOBS.get("prod/signed")).statusCode()).isEqualTo(200);
        // the signature itself is not gated (notation reads it), and repositories no requirement covers are open
        assertThat(pull("prod/signed", signatureOf("prod/signed", signed).get("digest").asText()).statusCode())
                .isEqualTo(200);
        push("dev/unsigned", "1.0");
        assertThat(pull("dev/unsigned", "1.0").statusCode()).isEqualTo(200);

        String out = server.admin("signing", "verify", "prod/signed:1.0");
        assertThat(out).contains("VALID").contains("[ok] certificate chain").contains("[ok] trusted profile")
                .contains("[ok] revocation");
        assertThat(server.admin("signing", "requirements")).contains("prod/*\t" + trusted + ",");
    }

    @Test
    void aTamperedSignatureManifest_isRefused() throws Exception {
        Digest image = pushSigned("prod/tamper", "1.0");
        JsonNode sig = signatureOf("prod/tamper", image);
        ObjectNode m = (ObjectNode) SignerCalls.JSON.readTree(pull("prod/tamper", sig.get("digest").asText()).body());
        ((ObjectNode) m.get("annotations")).put("io.cncf.notary.x509chain.thumbprint#S256", "[\"00\"]");
        byte[] tampered = SignerCalls.JSON.writeValueAsBytes(m);
        assertThat(server.send("DELETE", "/v2/prod/tamper/manifests/" + sig.get("digest").asText(), null)
                .statusCode()).isEqualTo(202);
        assertThat(server.putManifest("prod/tamper", Digest.sha256Of(tampered).toString(), MediaTypes.OCI_MANIFEST,
                new String(tampered, StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        assertRefused("prod/tamper", "1.0", "tampered");
    }

    @Test
    void aGenuineEnvelopeForAnotherDigest_isRefused() throws Exception {
        Digest signed = pushSigned("prod/signed", "copy-source");
        JsonNode sig = signatureOf("prod/signed", signed);
        JsonNode m = SignerCalls.JSON.readTree(pull("prod/signed", sig.get("digest").asText()).body());
        byte[] envelope = server.get("/v2/prod/signed/blobs/" + m.get("layers").get(0).get("digest").asText()).body();
        // an unsigned image gets a signature manifest carrying that genuine envelope, as its subject
        Digest image = push("prod/copied", "1.0");
        byte[] imageBytes = server.app().stores().metadata().read(tx -> tx.repositories().get(new RegistryId(
                TestServer.ACCOUNT), RepositoryName.of("prod/copied")).flatMap(r -> tx.manifests().get(r.id(), image)))
                .orElseThrow().content();
        server.pushBlob("prod/copied", "{}".getBytes(StandardCharsets.UTF_8));
        Digest env = server.pushBlob("prod/copied", envelope);
        ObjectNode forged = (ObjectNode) m.deepCopy();
        ((ObjectNode) forged.get("layers").get(0)).put("digest", env.toString());
        ((ObjectNode) forged.get("subject")).put("digest", image.toString()).put("size", imageBytes.length);
        byte[] bytes = SignerCalls.JSON.writeValueAsBytes(forged);
        assertThat(server.putManifest("prod/copied", Digest.sha256Of(bytes).toString(), MediaTypes.OCI_MANIFEST,
                new String(bytes, StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        assertRefused("prod/copied", "1.0", "target artifact");
    }

    @Test
    void aRevokedSignature_andARevokedProfile_areRefusedAfterRevocation() throws Exception {
        Digest image = pushSigned("prod/revoked", "1.0");
        assertThat(pull("prod/revoked", "1.0").statusCode()).as("before revocation").isEqualTo(200);
        String jobId = server.app().stores().metadata().read(tx -> tx.signing().jobsFor(
                new RegistryId(TestServer.ACCOUNT), "prod/revoked", image)).get(0).jobId();
        assertThat(signer.call("PUT", "/signing-jobs/" + jobId + "/revoke", "{\"reason\":\"leaked\"}").status())
                .isEqualTo(200);
        assertRefused("prod/revoked", "1.0", "revoked");

        pushSigned("prod/late", "1.0");
        assertThat(pull("prod/late", "1.0").statusCode()).isEqualTo(200);
        String version = signer.call("GET", "/signing-profiles/revoke_p", null).body().get("profileVersion").asText();
        double past = (System.currentTimeMillis() - Duration.ofHours(1).toMillis()) / 1000.0;
        var revoked = signer.call("PUT", "/signing-profiles/revoke_p/revoke", "{\"profileVersion\":\"" + version
                + "\",\"reason\":\"key compromise\",\"effectiveTime\":" + past + "}");
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertRefused("prod/late", "1.0", "was revoked");
    }

    /**
     * A signature whose validity period has elapsed: made with the trusted profile's own key (so every other check
     * passes) and an expiry ten minutes ago, inside the profile certificate's validity. Signer's shortest
     * signatureValidityPeriod is a day, so the server's clock cannot be waited out; the envelope is what Berth's
     * signer would have made for a 30-minute period 40 minutes ago, pushed as the image's referrer over /v2.
     */
    @Test
    void anExpiredSignature_isRefused_sayingExpired() throws Exception {
        Digest image = push("prod/expired", "1.0"); // no signing rule covers it: its only signature is the expired one
        RegistryId registry = new RegistryId(TestServer.ACCOUNT);
        byte[] imageBytes = server.app().stores().metadata().read(tx -> tx.repositories().get(registry,
                RepositoryName.of("prod/expired")).flatMap(r -> tx.manifests().get(r.id(), image)))
                .orElseThrow().content();
        var profile = server.app().stores().metadata().read(tx -> tx.signing().profile(registry, "trusted_p"))
                .orElseThrow();
        var key = new io.berth.server.signer.SealedSigningKeys(server.app().stores().masterKey(),
                server.app().stores().metadata(), server.app().stores().clock()).forProfile(registry, profile);
        java.time.Instant now = java.time.Instant.now();
        var sig = io.berth.core.signing.NotarySignature.sign(new io.berth.core.model.Descriptor(
                MediaTypes.OCI_MANIFEST, image, imageBytes.length, null, null), key.key(), key.chain(),
                now.minus(Duration.ofMinutes(40)), now.minus(Duration.ofMinutes(10)), "test");
        for (var b : sig.blobs().entrySet()) {
            assertThat(server.pushBlob("prod/expired", b.getValue())).isEqualTo(b.getKey());
        }
        assertThat(server.putManifest("prod/expired", sig.manifestDigest().toString(), MediaTypes.OCI_MANIFEST,
                new String(sig.manifest(), StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
        assertThat(TestServer.text(server.get("/v2/prod/expired/referrers/" + image)))
                .as("the expired signature is the image's referrer").contains(sig.manifestDigest().toString());
        assertRefused("prod/expired", "1.0", "expired at");
    }

    @Test
    void exportTrust_writesTheRootAndANotationTrustPolicy(@TempDir Path dir) throws Exception {
        String out = server.admin("signing", "export-trust", "--out", dir.toString());
        Path pem = dir.resolve("berth-" + TestServer.ACCOUNT + "-root.pem");
        assertThat(out).contains("notation cert add --type signingAuthority");
        var root = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pem));
        assertThat(root).isEqualTo(SigningIT.rootOf(server));
        JsonNode policy = SignerCalls.JSON.readTree(dir.resolve("trustpolicy.json").toFile());
        assertThat(policy.get("trustPolicies").get(0).get("trustStores").get(0).asText())
                .isEqualTo("signingAuthority:berth-" + TestServer.ACCOUNT);
    }

    @Test
    void lifecycleExpiry_takesTheSignatureAlong() throws Exception {
        Digest old = pushSigned("life/app", "doomed-1");
        Digest sig = Digest.parse(signatureOf("life/app", old).get("digest").asText());
        Thread.sleep(1100); // pushed-at order decides which of the two is older
        pushSigned("life/app", "doomed-2");
        ecr.putLifecyclePolicy(b -> b.repositoryName("life/app").lifecyclePolicyText("{\"rules\":[{\"rulePriority\":1,"
                + "\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"doomed\"],\"countType\":"
                + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}"));
        server.app().jobs().enqueue(LifecycleRuns.EVALUATE_KIND, LifecycleRuns.target(new RegistryId(
                TestServer.ACCOUNT), RepositoryName.of("life/app")), null, 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pull("life/app", old.toString()).statusCode() != 404) {
            assertThat(System.nanoTime()).as("waiting for the lifecycle expiry").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(pull("life/app", sig.toString()).statusCode()).as("the signature went with its image")
                .isEqualTo(404);
        assertThat(List.of(pull("life/app", "doomed-2").statusCode())).containsExactly(200);
    }
}
