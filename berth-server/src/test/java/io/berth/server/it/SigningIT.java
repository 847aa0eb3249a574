package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageSigningStatusResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.SigningConfigurationNotFoundException;
import software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.SigningRule;

/**
 * Signing end to end through the real server: Signer profiles over REST-JSON (SigV4 for {@code signer}), ECR's
 * managed signing through the AWS SDK, signatures made on push and found through the referrers API, and each
 * signature checked here with the JDK's own crypto against the registry's root (not Berth's signing code).
 */
class SigningIT {
    @RegisterExtension
    static final TestServer server = new TestServer();
    private static EcrClient ecr;
    private static SignerCalls signer;

    @BeforeAll
    static void clients() {
        ecr = server.ecr();
        signer = new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
    }

    private static String putProfile(String name) throws Exception {
        var r = signer.call("PUT", "/signing-profiles/" + name, "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\","
                + "\"signatureValidityPeriod\":{\"value\":12,\"type\":\"MONTHS\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().get("arn").asText();
    }

    private static void signRepositories(String profileArn, String filter) {
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(SigningRule.builder()
                .signingProfileArn(profileArn).repositoryFilters(SigningRepositoryFilter.builder().filter(filter)
                        .filterType("WILDCARD_MATCH").build()).build())));
    }

    static DescribeImageSigningStatusResponse awaitSigned(String repo, Digest digest) throws Exception {
        return awaitSigned(ecr, repo, digest);
    }

    static DescribeImageSigningStatusResponse awaitSigned(EcrClient ecr, String repo, Digest digest)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var r = ecr.describeImageSigningStatus(b -> b.repositoryName(repo)
                    .imageId(ImageIdentifier.builder().imageDigest(digest.toString()).build()));
            if (!r.signingStatuses().isEmpty() && r.signingStatuses().stream()
                    .noneMatch(s -> s.statusAsString().equals("IN_PROGRESS"))) {
                return r;
            }
            assertThat(System.nanoTime()).as("waiting for the signature of %s", digest).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Digest pushImage(String repo, String tag, String marker) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"marker\":\"" + marker + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer " + marker).getBytes(StandardCharsets.UTF_8);
        Digest c = server.pushBlob(repo, config);
        Digest l = server.pushBlob(repo, layer);
        String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
        var r = server.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(201);
        return Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** A path segment as the AWS SDKs and CLI send an ARN: every reserved character percent-encoded. */
    private static String encoded(String arn) {
        return java.net.URLEncoder.encode(arn, StandardCharsets.UTF_8);
    }

    @Test
    void signerProfileTags_putTagUntagList_andSignersExceptions() throws Exception {
        var put = signer.call("PUT", "/signing-profiles/tagged_a", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\","
                + "\"tags\":{\"team\":\"core\",\"cost-centre\":\"42\"}}");
        assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
        String arn = put.body().get("arn").asText();
        String tagsPath = "/tags/" + encoded(arn);
        assertThat(signer.call("GET", "/signing-profiles/tagged_a", null).body().get("tags").toString())
                .isEqualTo("{\"cost-centre\":\"42\",\"team\":\"core\"}");
        var listed = signer.call("GET", tagsPath, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("tags").toString()).isEqualTo("{\"cost-centre\":\"42\",\"team\":\"core\"}");

        assertThat(signer.call("POST", tagsPath, "{\"tags\":{\"env\":\"prod\",\"team\":\"platform\"}}").status())
                .isEqualTo(200);
        assertThat(signer.call("DELETE", tagsPath + "?tagKeys=cost-centre&tagKeys=absent", null).status())
                .isEqualTo(200);
        assertThat(signer.call("GET", tagsPath, null).body().get("tags").toString())
                .isEqualTo("{\"env\":\"prod\",\"team\":\"platform\"}");
        assertThat(signer.call("GET", "/signing-profiles", null).body().get("profiles")).filteredOn(p ->
                p.get("profileName").asText().equals("tagged_a")).singleElement().satisfies(p ->
                assertThat(p.get("tags").get("env").asText()).isEqualTo("prod"));

        var reserved = signer.call("POST", tagsPath, "{\"tags\":{\"aws:x\":\"y\"}}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.errorType()).isEqualTo("BadRequestException");
        assertThat(signer.call("POST", tagsPath, "{\"tags\":{}}").errorType()).as("no tags")
                .isEqualTo("BadRequestException");
        assertThat(signer.call("DELETE", tagsPath, null).errorType()).as("no tagKeys")
                .isEqualTo("BadRequestException");
        assertThat(signer.call("GET", "/tags/" + encoded("arn:nope"), null).errorType()).as("not an ARN")
                .isEqualTo("BadRequestException");
        var missing = signer.call("GET", "/tags/" + encoded(arn.replace("tagged_a", "never_made")), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorType()).isEqualTo("NotFoundException");
        assertThat(signer.call("GET", "/tags/" + encoded(arn.replace(TestServer.ACCOUNT, "111122223333")), null)
                .errorType()).isEqualTo("AccessDeniedException");
        assertThat(signer.call("GET", tagsPath, null).body().get("tags").size()).as("the refusals changed nothing")
                .isEqualTo(2);
    }

    @Test
    void signerProfiles_putGetListCancel_andTheirErrors() throws Exception {
        var platforms = signer.call("GET", "/signing-platforms", null);
        assertThat(platforms.body().get("platforms")).singleElement().satisfies(p ->
                assertThat(p.get("platformId").asText()).isEqualTo("Notation-OCI-SHA384-ECDSA"));

        String arn = putProfile("profile_a");
        assertThat(arn).isEqualTo("arn:aws:signer:us-east-1:" + TestServer.ACCOUNT + ":/signing-profiles/profile_a");
        var again = signer.call("PUT", "/signing-profiles/profile_a", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\","
                + "\"signatureValidityPeriod\":{\"value\":12,\"type\":\"MONTHS\"}}");
        assertThat(again.status()).as("the same profile again").isEqualTo(200);
        var got = signer.call("GET", "/signing-profiles/profile_a", null).body();
        assertThat(got.get("status").asText()).isEqualTo("Active");
        assertThat(got.get("profileVersion").asText()).matches("[A-Za-z0-9]{10}")
                .isEqualTo(again.body().get("profileVersion").asText());
        assertThat(got.get("profileVersionArn").asText()).isEqualTo(arn + "/" + got.get("profileVersion").asText());
        assertThat(got.get("signatureValidityPeriod").get("value").asInt()).isEqualTo(12);

        var conflict = signer.call("PUT", "/signing-profiles/profile_a", "{\"platformId\":"
                + "\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorType()).isEqualTo("ConflictException");
        var badName = signer.call("PUT", "/signing-profiles/a-b", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.errorType()).isEqualTo("ValidationException");
        var badPlatform = signer.call("PUT", "/signing-profiles/profile_b", "{\"platformId\":\"AWSLambda-SHA384-ECDSA\"}");
        assertThat(badPlatform.errorType()).isEqualTo("ValidationException");
        var badTag = signer.call("PUT", "/signing-profiles/profile_b", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\","
                + "\"tags\":{\"aws:team\":\"core\"}}");
        assertThat(badTag.errorType()).as("a reserved tag key").isEqualTo("ValidationException");
        assertThat(signer.call("GET", "/signing-profiles/profile_b", null).errorType()).as("nothing was made")
                .isEqualTo("ResourceNotFoundException");
        var badJson = signer.call("PUT", "/signing-profiles/profile_b", "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        var missing = signer.call("GET", "/signing-profiles/nope_nope", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(missing.body().get("message").asText()).contains("nope_nope");
        assertThat(signer.call("GET", "/signing-jobs/no-such-job", null).status()).isEqualTo(404);
        assertThat(signer.call("GET", "/signing-profiles?profileOwner=111122223333", null).errorType())
                .isEqualTo("AccessDeniedException");
        var unsigned = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                server.uri("/signing-profiles")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).as("no credentials").isEqualTo(403);

        putProfile("profile_c");
        assertThat(signer.call("DELETE", "/signing-profiles/profile_c", null).status()).isEqualTo(200);
        assertThat(signer.call("POST", "/tags/" + encoded(arn.replace("profile_a", "profile_c")),
                "{\"tags\":{\"a\":\"b\"}}").errorType()).as("tagging a canceled profile")
                .isEqualTo("BadRequestException");
        var listed = signer.call("GET", "/signing-profiles", null).body().get("profiles");
        assertThat(listed).extracting(p -> p.get("profileName").asText()).contains("profile_a")
                .doesNotContain("profile_c");
        var withCanceled = signer.call("GET", "/signing-profiles?includeCanceled=true", null).body().get("profiles");
        assertThat(withCanceled).extracting(p -> p.get("profileName").asText() + " " + p.get("status").asText())
                .contains("profile_c Canceled");
        assertThat(signer.call("PUT", "/signing-profiles/profile_c", "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}")
                .status()).as("a canceled name is not reused").isEqualTo(409);
    }

    @Test
    void signingConfiguration_validation() throws Exception {
        String arn = putProfile("profile_v");
        assertThatThrownBy(() -> signRepositories(arn.replace(TestServer.ACCOUNT, "111122223333"), "x"))
                .as("a profile of another account").isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> signRepositories(arn.replace("profile_v", "unknown_profile"), "x"))
                .as("an unknown profile").isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> signRepositories("arn:aws:iam::000000000000:role/x", "x"))
                .as("not a profile ARN").hasMessageContaining("signing profile ARN");
        assertThatThrownBy(() -> ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(
                SigningRule.builder().signingProfileArn(arn).repositoryFilters(SigningRepositoryFilter.builder()
                        .filter("x").filterType("PREFIX_MATCH").build()).build())))).as("filterType")
                .hasMessageContaining("filterType");
    }

    @Test
    void signOnPush_signsOncePerProfile_asAReferrer_thatPlainJdkCryptoVerifies() throws Exception {
        String arn = putProfile("profile_push");
        signRepositories(arn, "signed/*");
        assertThat(ecr.getSigningConfiguration(b -> { }).signingConfiguration().rules()).singleElement()
                .satisfies(r -> assertThat(r.signingProfileArn()).isEqualTo(arn));

        long pushed = System.nanoTime();
        Digest image = pushImage("signed/app", "1.0", "push");
        var status = awaitSigned("signed/app", image);
        long latencyMs = (System.nanoTime() - pushed) / 1_000_000;
        System.out.println("signing latency after push: " + latencyMs + " ms");
        assertThat(status.signingStatuses()).singleElement().satisfies(s -> {
            assertThat(s.statusAsString()).as("%s", s).isEqualTo("COMPLETE");
            assertThat(s.signingProfileArn()).isEqualTo(arn);
        });

        // the referrers API lists the signature; its manifest and envelope are what the Notary Project specifies
        JsonNode referrers = SignerCalls.JSON.readTree(server.get("/v2/signed/app/referrers/" + image).body());
        JsonNode sig = referrers.get("manifests").get(0);
        assertThat(sig.get("artifactType").asText()).isEqualTo("application/vnd.cncf.notary.signature");
        byte[] manifest = server.get("/v2/signed/app/manifests/" + sig.get("digest").asText(),
                "Accept", MediaTypes.OCI_MANIFEST).body();
        JsonNode m = SignerCalls.JSON.readTree(manifest);
        assertThat(m.get("subject").get("digest").asText()).isEqualTo(image.toString());
        assertThat(m.get("layers").get(0).get("mediaType").asText()).isEqualTo("application/jose+json");
        byte[] envelope = server.get("/v2/signed/app/blobs/" + m.get("layers").get(0).get("digest").asText())
                .body();
        X509Certificate root = rootOf(server);
        JsonNode payload = verifyIndependently(envelope, root);
        assertThat(payload.get("targetArtifact").get("digest").asText()).isEqualTo(image.toString());
        byte[] imageBytes = server.get("/v2/signed/app/manifests/" + image, "Accept", MediaTypes.OCI_MANIFEST).body();
        assertThat(payload.get("targetArtifact").get("size").asLong()).isEqualTo(imageBytes.length);

        // ListImageReferrers sees it too, and the signature itself was not signed
        var listed = ecr.listImageReferrers(b -> b.repositoryName("signed/app").subjectId(s -> s.imageDigest(
                image.toString()))).referrers();
        assertThat(listed).extracting(r -> r.artifactType()).contains("application/vnd.cncf.notary.signature");
        assertThat(ecr.describeImageSigningStatus(b -> b.repositoryName("signed/app").imageId(ImageIdentifier
                .builder().imageDigest(sig.get("digest").asText()).build())).signingStatuses()).isEmpty();

        // the signing job, and revoking its signature
        JsonNode jobs = signer.call("GET", "/signing-jobs", null).body().get("jobs");
        JsonNode job = jobs.get(0);
        assertThat(job.get("status").asText()).isEqualTo("Succeeded");
        assertThat(job.get("profileName").asText()).isEqualTo("profile_push");
        String jobId = job.get("jobId").asText();
        assertThat(signer.call("PUT", "/signing-jobs/" + jobId + "/revoke", "{\"reason\":\"test\"}").status())
                .isEqualTo(200);
        var described = signer.call("GET", "/signing-jobs/" + jobId, null).body();
        assertThat(described.get("revocationRecord").get("reason").asText()).isEqualTo("test");
        assertThat(signer.call("PUT", "/signing-jobs/" + jobId + "/revoke", "{}").errorType())
                .isEqualTo("ValidationException");

        // signing and revocation are in the audit trail
        awaitAudit("SignImage", image.toString());
        awaitAudit("RevokeSignature", jobId);

        // a signature a client pushes (a referrer, here in a covered repository) is stored as it is, not signed
        server.pushBlob("signed/app", "{}".getBytes(StandardCharsets.UTF_8));
        Digest blob = server.pushBlob("signed/app", "client signature".getBytes(StandardCharsets.UTF_8));
        String clientSig = Fixtures.artifact("application/vnd.dev.cosign.artifact.sig.v1+json", blob, 16, image,
                imageBytes.length);
        assertThat(server.putManifest("signed/app", Digest.sha256Of(clientSig.getBytes(StandardCharsets.UTF_8))
                .toString(), MediaTypes.OCI_MANIFEST, clientSig).statusCode()).isEqualTo(201);
        Thread.sleep(1500);
        assertThat(ecr.describeImageSigningStatus(b -> b.repositoryName("signed/app").imageId(ImageIdentifier
                .builder().imageDigest(Digest.sha256Of(clientSig.getBytes(StandardCharsets.UTF_8)).toString())
                .build())).signingStatuses()).as("a client's signature is not signed").isEmpty();
        assertThat(SignerCalls.JSON.readTree(server.get("/v2/signed/app/referrers/" + image).body()).get("manifests"))
                .extracting(n -> n.get("artifactType").asText()).containsExactlyInAnyOrder(
                        "application/vnd.cncf.notary.signature", "application/vnd.dev.cosign.artifact.sig.v1+json");

        // a repository no rule covers is not signed
        Digest other = pushImage("unsigned/app", "1.0", "other");
        Thread.sleep(1500);
        assertThat(ecr.describeImageSigningStatus(b -> b.repositoryName("unsigned/app").imageId(ImageIdentifier
                .builder().imageDigest(other.toString()).build())).signingStatuses()).isEmpty();
    }

    @Test
    void anIndex_isSignedWithEachChild_andDeletingTheConfigurationKeepsSignatures() throws Exception {
        String arn = putProfile("profile_index");
        signRepositories(arn, "multi/*");
        Digest child = pushImage("multi/app", "child", "child");
        byte[] childBytes = server.get("/v2/multi/app/manifests/" + child, "Accept", MediaTypes.OCI_MANIFEST).body();
        String index = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child, childBytes.length);
        assertThat(server.putManifest("multi/app", "1.0", MediaTypes.OCI_INDEX, index).statusCode()).isEqualTo(201);
        Digest indexDigest = Digest.sha256Of(index.getBytes(StandardCharsets.UTF_8));
        assertThat(awaitSigned("multi/app", indexDigest).signingStatuses()).extracting(s -> s.statusAsString())
                .containsExactly("COMPLETE");
        assertThat(awaitSigned("multi/app", child).signingStatuses()).extracting(s -> s.statusAsString())
                .containsExactly("COMPLETE");
        JsonNode childReferrers = SignerCalls.JSON.readTree(server.get("/v2/multi/app/referrers/" + child).body());
        assertThat(childReferrers.get("manifests")).as("one signature of the child, not two").hasSize(1);

        var deleted = ecr.deleteSigningConfiguration(b -> { });
        assertThat(deleted.signingConfiguration().rules()).isNotEmpty();
        assertThatThrownBy(() -> ecr.getSigningConfiguration(b -> { }))
                .isInstanceOf(SigningConfigurationNotFoundException.class);
        assertThatThrownBy(() -> ecr.deleteSigningConfiguration(b -> { }))
                .isInstanceOf(SigningConfigurationNotFoundException.class);
        assertThat(SignerCalls.JSON.readTree(server.get("/v2/multi/app/referrers/" + indexDigest).body())
                .get("manifests")).as("signatures stay").hasSize(1);
    }

    /** Waits for an audit event of {@code eventName} that mentions {@code text} (the log is written async). */
    static void awaitAudit(String eventName, String text) throws Exception {
        awaitAudit(server, eventName, text);
    }

    static void awaitAudit(TestServer server, String eventName, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server.admin("audit", "--event", eventName, "--json").contains(text)) {
            assertThat(System.nanoTime()).as("waiting for a %s audit event with %s", eventName, text)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void aUserWithoutSignerPermissions_isDenied() throws Exception {
        String created = server.admin("create-user", "--with-key", "no-signer");
        String key = created.lines().filter(l -> l.startsWith("AccessKeyId:")).findFirst().orElseThrow()
                .split("\\s+")[1];
        String secret = created.lines().filter(l -> l.startsWith("SecretAccessKey:")).findFirst().orElseThrow()
                .split("\\s+")[1];
        var denied = new SignerCalls(server.port(), key, secret).call("GET", "/signing-profiles", null);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.errorType()).isEqualTo("AccessDeniedException");
        assertThat(denied.body().get("message").asText()).contains("signer:ListSigningProfiles");
        var forged = new SignerCalls(server.port(), key, "not-the-secret").call("GET", "/signing-profiles", null);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.errorType()).isEqualTo("InvalidSignatureException");
        var badMax = signer.call("GET", "/signing-jobs?maxResults=0", null);
        assertThat(badMax.status()).isEqualTo(400);
        assertThat(badMax.errorType()).isEqualTo("ValidationException");
        var unknownRoute = signer.call("POST", "/signing-profiles", "{}");
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.errorType()).isEqualTo("UnknownOperationException");
    }

    static X509Certificate rootOf(TestServer server) throws Exception {
        byte[] der = server.app().stores().metadata().read(tx -> tx.signing().root(new RegistryId(TestServer.ACCOUNT)))
                .orElseThrow().certificate();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }

    /**
     * The JWS checks with the JDK alone: the chain to {@code root} ({@code CertPathValidator}), and ES384 over
     * {@code protected.payload} after converting JWS's R||S to DER here. Returns the payload.
     */
    static JsonNode verifyIndependently(byte[] envelope, X509Certificate root) throws Exception {
        JsonNode env = SignerCalls.JSON.readTree(envelope);
        JsonNode header = SignerCalls.JSON.readTree(Base64.getUrlDecoder().decode(env.get("protected").asText()));
        assertThat(header.get("alg").asText()).isEqualTo("ES384");
        assertThat(header.get("io.cncf.notary.signingScheme").asText()).isEqualTo("notary.x509.signingAuthority");
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new java.util.ArrayList<>();
        for (JsonNode c : env.get("header").get("x5c")) {
            chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder()
                    .decode(c.asText()))));
        }
        assertThat(chain.get(chain.size() - 1)).isEqualTo(root);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(chain.subList(0, chain.size() - 1)),
                params);
        byte[] rs = Base64.getUrlDecoder().decode(env.get("signature").asText());
        Signature v = Signature.getInstance("SHA384withECDSA");
        v.initVerify(chain.get(0).getPublicKey());
        v.update((env.get("protected").asText() + "." + env.get("payload").asText())
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(der(rs))).as("ES384 signature").isTrue();
        return SignerCalls.JSON.readTree(Base64.getUrlDecoder().decode(env.get("payload").asText()));
    }

    private static byte[] der(byte[] rs) {
        byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 48)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 48, 96)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(2);
        body.write(r.length);
        body.writeBytes(r);
        body.write(2);
        body.write(s.length);
        body.writeBytes(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        if (body.size() >= 0x80) {
            out.write(0x81);
        }
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
