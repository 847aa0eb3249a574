package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.server.config.RegionsConfig;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.SigningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.SigningRule;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Signing, Signer and Secrets Manager per region (issues 12 §1 and 13): each account in each region has its own
 * signing profiles, signing configuration, signing statuses and secrets, picked by the SigV4 credential scope as
 * ECR, Signer and Secrets Manager do, and their ARNs name that region. {@code 127.0.0.1} is eu-west-1's host here,
 * so the {@code /v2} helpers push to eu-west-1; {@code localhost} is the default us-east-1.
 */
class SigningRegionsIT {
    static final String WEST = "eu-west-1";
    static final String PROFILE = "{\"platformId\":\"Notation-OCI-SHA384-ECDSA\"}";

    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "127.0.0.1=eu-west-1");

    static EcrClient ecr(Region region) {
        return EcrClient.builder().endpointOverride(server.uri("/")).region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials()).build();
    }

    static SecretsManagerClient secrets(Region region) {
        return SecretsManagerClient.builder().endpointOverride(server.uri("/")).region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(TestServer.ROOT_KEY_ID,
                TestServer.ROOT_SECRET));
    }

    static SignerCalls signer(String region) {
        return new SignerCalls(server.port(), TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET, region);
    }

    static String putProfile(SignerCalls signer, String name) throws Exception {
        var r = signer.call("PUT", "/signing-profiles/" + name, PROFILE);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().get("arn").asText();
    }

    static void signRepositories(EcrClient ecr, String profileArn, String filter) {
        ecr.putSigningConfiguration(b -> b.signingConfiguration(c -> c.rules(SigningRule.builder()
                .signingProfileArn(profileArn).repositoryFilters(SigningRepositoryFilter.builder().filter(filter)
                        .filterType("WILDCARD_MATCH").build()).build())));
    }

    static List<String> names(JsonNode list, String array, String field) {
        List<String> out = new ArrayList<>();
        list.path(array).forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void profileAndSigningConfiguration_inEuWest1_doNotExistInUsEast1() throws Exception {
        SignerCalls west = signer(WEST);
        SignerCalls east = signer("us-east-1");
        String arn = putProfile(west, "release");
        assertThat(arn).isEqualTo("arn:aws:signer:eu-west-1:" + TestServer.ACCOUNT + ":/signing-profiles/release");
        assertThat(west.call("GET", "/signing-profiles/release", null).body().get("profileVersionArn").asText())
                .startsWith(arn + "/");

        var missing = east.call("GET", "/signing-profiles/release", null);
        assertThat(missing.errorType()).as(missing.toString()).isEqualTo("ResourceNotFoundException");
        assertThat(names(east.call("GET", "/signing-profiles", null).body(), "profiles", "profileName"))
                .doesNotContain("release");
        assertThat(names(west.call("GET", "/signing-profiles", null).body(), "profiles", "profileName"))
                .contains("release");

        try (EcrClient eastEcr = ecr(Region.US_EAST_1); EcrClient westEcr = ecr(Region.EU_WEST_1)) {
            assertThat(Ecr.errorOf(() -> signRepositories(eastEcr, arn, "west/*")))
                    .as("a profile of eu-west-1 in us-east-1's configuration")
                    .startsWith("InvalidParameterException: ").contains("is not in the registry")
                    .contains("us-east-1");
            assertThat(Ecr.errorOf(() -> eastEcr.getSigningConfiguration(b -> { })))
                    .startsWith("SigningConfigurationNotFoundException");

            signRepositories(westEcr, arn, "west/*");
            assertThat(westEcr.getSigningConfiguration(b -> { }).signingConfiguration().rules()).singleElement()
                    .satisfies(r -> assertThat(r.signingProfileArn()).isEqualTo(arn));
            assertThat(Ecr.errorOf(() -> eastEcr.getSigningConfiguration(b -> { })))
                    .as("eu-west-1's configuration is not us-east-1's")
                    .startsWith("SigningConfigurationNotFoundException");

            // the same name in us-east-1 is another profile, whose ARN names us-east-1
            String eastArn = putProfile(east, "release");
            assertThat(eastArn).isEqualTo("arn:aws:signer:us-east-1:" + TestServer.ACCOUNT
                    + ":/signing-profiles/release");
            assertThat(Ecr.errorOf(() -> signRepositories(westEcr, eastArn, "west/*")))
                    .as("a profile of us-east-1 in eu-west-1's configuration")
                    .startsWith("InvalidParameterException: ").contains("is not in the registry");
            signRepositories(eastEcr, eastArn, "east/*");
            assertThat(westEcr.getSigningConfiguration(b -> { }).signingConfiguration().rules()).singleElement()
                    .as("eu-west-1's configuration unchanged")
                    .satisfies(r -> assertThat(r.signingProfileArn()).isEqualTo(arn));
            eastEcr.deleteSigningConfiguration(b -> { });
            assertThat(westEcr.getSigningConfiguration(b -> { }).signingConfiguration().rules()).hasSize(1);
        }
        var canceled = east.call("DELETE", "/signing-profiles/release", null);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(west.call("GET", "/signing-profiles/release", null).body().get("status").asText())
                .as("canceling us-east-1's profile leaves eu-west-1's").isEqualTo("Active");
    }

    @Test
    void pushInEuWest1_isSignedWithTheEuWest1Profile() throws Exception {
        String arn = putProfile(signer(WEST), "pusher");
        assertThat(arn).contains(":eu-west-1:");
        putProfile(signer("us-east-1"), "pusher"); // us-east-1 gets a root of its own
        try (EcrClient westEcr = ecr(Region.EU_WEST_1); EcrClient eastEcr = ecr(Region.US_EAST_1)) {
            signRepositories(westEcr, arn, "signed/*");
            Ecr.Pushed image = Ecr.blobs(server, "signed/app", 21);
            assertThat(server.putManifest("signed/app", "1", MediaTypes.OCI_MANIFEST, image.manifest())
                    .statusCode()).as("pushed to eu-west-1 by its host").isEqualTo(201);
            Digest digest = image.digest();

            var status = SigningIT.awaitSigned(westEcr, "signed/app", digest);
            assertThat(status.signingStatuses()).singleElement().satisfies(s -> {
                assertThat(s.statusAsString()).as("%s", s).isEqualTo("COMPLETE");
                assertThat(s.signingProfileArn()).isEqualTo(arn);
            });
            assertThat(Ecr.errorOf(() -> eastEcr.describeImageSigningStatus(b -> b.repositoryName("signed/app")
                    .imageId(ImageIdentifier.builder().imageDigest(digest.toString()).build()))))
                    .as("us-east-1 has no such repository").startsWith("RepositoryNotFoundException");

            // the signature is a referrer in eu-west-1, chaining to eu-west-1's root and not to us-east-1's
            JsonNode referrers = SignerCalls.JSON.readTree(server.get("/v2/signed/app/referrers/" + digest).body());
            JsonNode sig = referrers.get("manifests").get(0);
            assertThat(sig.get("artifactType").asText()).isEqualTo("application/vnd.cncf.notary.signature");
            JsonNode m = SignerCalls.JSON.readTree(server.get("/v2/signed/app/manifests/"
                    + sig.get("digest").asText(), "Accept", MediaTypes.OCI_MANIFEST).body());
            byte[] envelope = server.get("/v2/signed/app/blobs/" + m.get("layers").get(0).get("digest").asText())
                    .body();
            JsonNode payload = SigningIT.verifyIndependently(envelope, root(WEST));
            assertThat(payload.get("targetArtifact").get("digest").asText()).isEqualTo(digest.toString());
            X509Certificate eastRoot = root(null);
            assertThat(eastRoot).isNotEqualTo(root(WEST));
            assertThatThrownBy(() -> SigningIT.verifyIndependently(envelope, eastRoot))
                    .as("the chain ends at eu-west-1's root, not us-east-1's").isInstanceOf(AssertionError.class);
            assertThat(server.rawGet("localhost:" + server.port(), "/v2/signed/app/manifests/" + digest,
                    server.basicAuth())).as("us-east-1's /v2 has no such image").startsWith("HTTP/1.1 404");

            // Signer's jobs are eu-west-1's
            assertThat(names(signer(WEST).call("GET", "/signing-jobs", null).body(), "jobs", "profileName"))
                    .contains("pusher");
            assertThat(names(signer("us-east-1").call("GET", "/signing-jobs", null).body(), "jobs",
                    "profileName")).doesNotContain("pusher");
        }
    }

    @Test
    void adminSigningCommands_actInTheRegionTheyAreGiven() throws Exception {
        String arn = putProfile(signer(WEST), "gate");
        // the CLI reads the deployment's regions from its configuration, as an operator's berth admin does
        java.nio.file.Path config = server.data().resolve("regions.yaml");
        java.nio.file.Files.writeString(config, "regions: [us-east-1, eu-west-1]\n");
        String c = config.toString();
        assertThat(server.admin("signing", "require", "--config", c, "--region", WEST, "--repository-filter", "gated/*",
                "--profile", arn)).contains("pulls of gated/* now need a valid signature by " + arn);
        assertThat(server.admin("signing", "requirements", "--config", c, "--region", WEST))
                .contains("gated/*\t" + arn);
        assertThat(server.admin("signing", "requirements", "--config", c)).as("us-east-1's").doesNotContain("gated/*");
        assertThat(cli("signing", "require", "--config", c, "--repository-filter", "gated/*", "--profile", arn))
                .as("eu-west-1's profile for a us-east-1 requirement").isEqualTo(1);
        assertThat(cli("signing", "requirements", "--config", c, "--region", "ap-south-1"))
                .as("a region not served").isEqualTo(1);

        // the running server applies eu-west-1's requirement to eu-west-1's pulls (within the requirements' TTL)
        Ecr.Pushed image = Ecr.blobs(server, "gated/app", 33);
        assertThat(server.putManifest("gated/app", "1", MediaTypes.OCI_MANIFEST, image.manifest()).statusCode())
                .isEqualTo(201);
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        while ((status = server.get("/v2/gated/app/manifests/1").statusCode()) != 403
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status).as("an unsigned image under eu-west-1's requirement").isEqualTo(403);

        java.nio.file.Path dir = server.data().resolve("trust-west");
        assertThat(server.admin("signing", "export-trust", "--config", c, "--region", WEST, "--out",
                dir.toString()))
                .contains("berth-" + TestServer.ACCOUNT + "-eu-west-1");
        byte[] pem = java.nio.file.Files.readAllBytes(dir.resolve("berth-" + TestServer.ACCOUNT
                + "-eu-west-1-root.pem"));
        assertThat(CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)))
                .as("eu-west-1's root").isEqualTo(root(WEST));
    }

    @Test
    void aRegionNotServed_isRefusedBySignerAndSecretsManager() throws Exception {
        var tokyo = signer("ap-northeast-1").call("GET", "/signing-profiles", null);
        assertThat(tokyo.status()).as(tokyo.toString()).isEqualTo(403);
        assertThat(tokyo.errorType()).isEqualTo("InvalidSignatureException");
        try (SecretsManagerClient sm = secrets(Region.AP_NORTHEAST_1)) {
            assertThat(SecretsManagerIT.errorOf(() -> sm.listSecrets(b -> { })))
                    .startsWith("InvalidSignatureException: ");
        }
    }

    /** Runs {@code berth admin <args>} against this server's data; the exit code (stderr says why). */
    static int cli(String... args) {
        List<String> command = new ArrayList<>(List.of("admin"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", server.data().toString()));
        return io.berth.server.MainAccess.execute(command.toArray(String[]::new));
    }

    /** The account's signing root in {@code region} (null: the default region). */
    static X509Certificate root(String region) throws Exception {
        byte[] der = server.app().stores().metadata().read(tx -> tx.signing().root(
                new RegistryId(TestServer.ACCOUNT, region))).orElseThrow().certificate();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }

    @Test
    void secretCreatedInEuWest1_isNotVisibleInUsEast1_andPullThroughResolvesItInTheRulesRegion() {
        String name = "ecr-pullthroughcache/hub";
        String value = "{\"username\":\"u\",\"accessToken\":\"t\"}";
        try (SecretsManagerClient west = secrets(Region.EU_WEST_1); SecretsManagerClient east =
                secrets(Region.US_EAST_1); EcrClient westEcr = ecr(Region.EU_WEST_1);
             EcrClient eastEcr = ecr(Region.US_EAST_1)) {
            String arn = west.createSecret(b -> b.name(name).secretString(value)).arn();
            assertThat(arn).startsWith("arn:aws:secretsmanager:eu-west-1:" + TestServer.ACCOUNT + ":secret:"
                    + name + "-");
            assertThat(west.describeSecret(b -> b.secretId(name)).arn()).isEqualTo(arn);
            assertThat(west.getSecretValue(b -> b.secretId(arn)).secretString()).isEqualTo(value);

            assertThat(SecretsManagerIT.errorOf(() -> east.describeSecret(b -> b.secretId(name))))
                    .as("by name in us-east-1").startsWith("ResourceNotFoundException: ");
            assertThat(SecretsManagerIT.errorOf(() -> east.describeSecret(b -> b.secretId(arn))))
                    .as("by eu-west-1's ARN in us-east-1").startsWith("ResourceNotFoundException: ");
            assertThat(SecretsManagerIT.errorOf(() -> east.getSecretValue(b -> b.secretId(arn))))
                    .startsWith("AccessDeniedException: ");
            assertThat(east.listSecrets(b -> { }).secretList()).extracting(SecretListEntry::name)
                    .doesNotContain(name);

            // a credentialArn is a secret of the rule's registry: the account in the rule's region
            String upstream = "registry-1.docker.io";
            assertThat(westEcr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                    .upstreamRegistryUrl(upstream).upstreamRegistry("docker-hub").credentialArn(arn))
                    .credentialArn()).isEqualTo(arn);
            assertThat(Ecr.errorOf(() -> eastEcr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                    .upstreamRegistryUrl(upstream).upstreamRegistry("docker-hub").credentialArn(arn))))
                    .as("eu-west-1's secret for a us-east-1 rule").startsWith("SecretNotFoundException: ");

            String eastArn = east.createSecret(b -> b.name(name).secretString(value)).arn();
            assertThat(eastArn).as("the same name is another secret in us-east-1")
                    .startsWith("arn:aws:secretsmanager:us-east-1:").isNotEqualTo(arn);
            east.deleteSecret(b -> b.secretId(name).forceDeleteWithoutRecovery(true));
            assertThat(west.describeSecret(b -> b.secretId(name)).deletedDate())
                    .as("deleting us-east-1's leaves eu-west-1's").isNull();
        }
    }
}
