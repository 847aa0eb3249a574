package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.JobsConfig;
import io.berth.server.config.RegionsConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageReplicationStatus;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * KMS keys are regional (issue 11 §3 with issue 12 §1): the key service acts in the region of the SigV4 scope, a key
 * of eu-west-1 does not exist in us-east-1, a KMS repository uses keys of its own region; and replication within
 * the deployment re-wraps the shared blobs' data keys for the destination's key (issue 12 §2), so the destination
 * pulls them byte-identical, while a destination whose key is disabled fails with the KmsException reason.
 * ({@code localhost} is eu-west-1 on /v2, 127.0.0.1 the default us-east-1.)
 */
class KmsRegionsIT {
    @RegisterExtension
    static final TestServer server = new TestServer()
            .with(RegionsConfig.REGIONS, "us-east-1,eu-west-1")
            .with(RegionsConfig.REGION_HOSTS, "localhost=eu-west-1")
            .with(JobsConfig.RETRY_BACKOFF, "1s")
            .with(JobsConfig.RETRY_BACKOFF_MAX, "2s");

    static KmsClient kms(Region region) {
        return KmsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(region).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET))).build();
    }

    static EcrClient ecr(Region region) {
        return EcrClient.builder().endpointOverride(server.uri("/")).region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET))).build();
    }

    private static String kmsError(Runnable call) {
        try {
            call.run();
            return "";
        } catch (KmsException e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    @Test
    void aKeyOfEuWest1_isNotFoundInUsEast1_andItsCiphertextOpensOnlyThere() {
        try (KmsClient eu = kms(Region.EU_WEST_1); KmsClient us = kms(Region.US_EAST_1)) {
            String arn = eu.createKey(b -> b.description("eu key")).keyMetadata().arn();
            String id = arn.substring(arn.lastIndexOf('/') + 1);
            assertThat(arn).isEqualTo("arn:aws:kms:eu-west-1:" + TestServer.ACCOUNT + ":key/" + id);
            assertThat(eu.describeKey(b -> b.keyId(id)).keyMetadata().arn()).isEqualTo(arn);
            assertThat(kmsError(() -> us.describeKey(b -> b.keyId(id)))).isEqualTo("NotFoundException");
            assertThat(kmsError(() -> us.describeKey(b -> b.keyId(arn)))).isEqualTo("NotFoundException");
            assertThat(us.listKeys(b -> { }).keys()).noneMatch(k -> k.keyId().equals(id));

            eu.createAlias(b -> b.aliasName("alias/regional").targetKeyId(id));
            assertThat(eu.listAliases(b -> { }).aliases()).anySatisfy(a -> assertThat(a.aliasArn())
                    .isEqualTo("arn:aws:kms:eu-west-1:" + TestServer.ACCOUNT + ":alias/regional"));
            assertThat(kmsError(() -> us.describeKey(b -> b.keyId("alias/regional")))).isEqualTo("NotFoundException");

            SdkBytes plain = SdkBytes.fromUtf8String("regional secret");
            SdkBytes blob = eu.encrypt(b -> b.keyId("alias/regional").plaintext(plain)).ciphertextBlob();
            assertThat(eu.decrypt(b -> b.ciphertextBlob(blob)).plaintext()).isEqualTo(plain);
            assertThat(kmsError(() -> us.decrypt(b -> b.ciphertextBlob(blob))))
                    .isEqualTo("InvalidCiphertextException");
        }
    }

    @Test
    void aKmsRepositoryInEuWest1_usesEuWest1Keys_andPushesAndPulls() throws Exception {
        try (KmsClient eu = kms(Region.EU_WEST_1); EcrClient west = ecr(Region.EU_WEST_1);
             EcrClient east = ecr(Region.US_EAST_1)) {
            String arn = eu.createKey(b -> b.description("eu repo key")).keyMetadata().arn();
            assertThat(Ecr.errorOf(() -> east.createRepository(b -> b.repositoryName("kmsr/other")
                    .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS).kmsKey(arn)))))
                    .as("ECR wants the key in the repository's region").startsWith("KmsException: ");
            Repository r = west.createRepository(b -> b.repositoryName("kmsr/app").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS_DSSE).kmsKey(arn))).repository();
            assertThat(r.encryptionConfiguration().kmsKey()).isEqualTo(arn);
            Repository managed = west.createRepository(b -> b.repositoryName("kmsr/managed").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS))).repository();
            assertThat(managed.encryptionConfiguration().kmsKey()).as("eu-west-1's own alias/aws/ecr key")
                    .startsWith("arn:aws:kms:eu-west-1:" + TestServer.ACCOUNT + ":key/")
                    .isEqualTo(eu.describeKey(b -> b.keyId("alias/aws/ecr")).keyMetadata().arn());

            String layer = "eu-west-1 kms layer ".repeat(3000);
            String manifest = pushWest("kmsr/app", "v1", layer);
            assertThat(getWest("/v2/kmsr/app/manifests/v1")).startsWith("HTTP/1.1 200").endsWith(manifest);
            String blob = "/v2/kmsr/app/blobs/" + Digest.sha256Of(layer.getBytes(StandardCharsets.UTF_8));
            assertThat(getWest(blob)).as("pulled byte-identical").startsWith("HTTP/1.1 200").endsWith(layer);

            eu.disableKey(b -> b.keyId(arn));
            ReplicationIT.await("eu-west-1's key disabled refuses the pull", () -> {
                String got = RegionsIT.raw0(server.port(), "localhost:" + server.port(), blob, server.basicAuth());
                return got.startsWith("HTTP/1.1 403") && got.contains("disabled");
            });
            eu.enableKey(b -> b.keyId(arn));
            ReplicationIT.await("re-enabled", () -> RegionsIT.rawOk(server.port(), "localhost:" + server.port(),
                    blob, server.basicAuth()));
        }
    }

    @Test
    void replication_rewrapsForTheDestinationsKey_andFailsWithKmsExceptionWhenItIsDisabled() throws Exception {
        try (KmsClient eu = kms(Region.EU_WEST_1); KmsClient us = kms(Region.US_EAST_1);
             EcrClient west = ecr(Region.EU_WEST_1); EcrClient east = ecr(Region.US_EAST_1)) {
            String usKey = us.createKey(b -> b.description("source key")).keyMetadata().arn();
            String euKey = eu.createKey(b -> b.description("destination key")).keyMetadata().arn();
            String euOff = eu.createKey(b -> b.description("disabled destination key")).keyMetadata().arn();
            for (String name : List.of("rw/own", "rw/other", "rw/plain", "rw/off")) {
                east.createRepository(b -> b.repositoryName(name).encryptionConfiguration(
                        e -> e.encryptionType(EncryptionType.KMS).kmsKey(usKey)));
            }
            west.createRepository(b -> b.repositoryName("rw/other").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS_DSSE).kmsKey(euKey)));
            west.createRepository(b -> b.repositoryName("rw/plain"));
            west.createRepository(b -> b.repositoryName("rw/off").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(euOff)));
            eu.disableKey(b -> b.keyId(euOff));
            assertThat(ReplicationIT.put(east, List.of(ReplicationIT.rule(List.of(ReplicationIT.dest("eu-west-1",
                    TestServer.ACCOUNT)), "rw")))).isEmpty();

            String west1 = "localhost:" + server.port();
            for (String name : List.of("rw/own", "rw/other", "rw/plain", "rw/off")) {
                byte[] layer = ("replicated layer of " + name + " ").repeat(2000).getBytes(StandardCharsets.UTF_8);
                Digest l = server.pushBlob(name, layer);
                byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
                Digest c = server.pushBlob(name, config);
                String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
                assertThat(server.putManifest(name, "1", MediaTypes.OCI_MANIFEST, manifest).statusCode())
                        .isEqualTo(201);
                Digest image = Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8));
                if (name.equals("rw/off")) {
                    ReplicationIT.await("rw/off FAILED", () -> status(east, name, image).statusAsString()
                            .equals("FAILED"));
                    assertThat(status(east, name, image).failureCode()).contains("KMS error: DisabledException")
                            .contains(euOff);
                    continue;
                }
                ReplicationIT.await(name + " at eu-west-1", () -> RegionsIT.rawOk(server.port(), west1,
                        "/v2/" + name + "/manifests/1", server.basicAuth()));
                assertThat(status(east, name, image).statusAsString()).isEqualTo("COMPLETE");
                assertThat(getWest("/v2/" + name + "/blobs/" + l)).as(name + "'s layer at eu-west-1")
                        .startsWith("HTTP/1.1 200").endsWith(new String(layer, StandardCharsets.UTF_8));
            }
            Repository own = west.describeRepositories(b -> b.repositoryNames("rw/own")).repositories().get(0);
            assertThat(own.encryptionConfiguration().kmsKey()).as("created with eu-west-1's alias/aws/ecr, not the "
                    + "source's us-east-1 key").isEqualTo(eu.describeKey(b -> b.keyId("alias/aws/ecr"))
                    .keyMetadata().arn());

            eu.enableKey(b -> b.keyId(euOff));
            ReplicationIT.await("rw/off retried after the key is enabled", () -> RegionsIT.rawOk(server.port(),
                    west1, "/v2/rw/off/manifests/1", server.basicAuth()));

            // the source's key going away leaves the destinations readable through their own keys or plain form
            us.disableKey(b -> b.keyId(usKey));
            ReplicationIT.await("the source refuses pulls", () -> RegionsIT.raw0(server.port(), "127.0.0.1:"
                    + server.port(), "/v2/rw/own/manifests/1", server.basicAuth()).startsWith("HTTP/1.1 403"));
            for (String name : List.of("rw/own", "rw/other", "rw/plain")) {
                assertThat(getWest("/v2/" + name + "/blobs/" + manifestLayer(name))).as(name)
                        .startsWith("HTTP/1.1 200").contains("replicated layer of " + name);
            }
        }
    }

    private static ImageReplicationStatus status(EcrClient east, String repo, Digest image) {
        return east.describeImageReplicationStatus(b -> b.repositoryName(repo).imageId(ImageIdentifier.builder()
                .imageDigest(image.toString()).build())).replicationStatuses().stream().findFirst()
                .orElse(ImageReplicationStatus.builder().status("NONE_YET").build());
    }

    private static Digest manifestLayer(String name) {
        return Digest.sha256Of(("replicated layer of " + name + " ").repeat(2000).getBytes(StandardCharsets.UTF_8));
    }

    /** Pushes a config and {@code layer} to eu-west-1's {@code repo} over /v2 and tags them; the manifest. */
    private static String pushWest(String repo, String tag, String layer) throws Exception {
        byte[] config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] l = layer.getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.sha256Of(config);
        Digest d = Digest.sha256Of(l);
        String west = "localhost:" + server.port();
        String basic = server.basicAuth();
        int port = server.port();
        assertThat(RegionsIT.raw(port, "POST", west, "/v2/" + repo + "/blobs/uploads/?digest=" + c, basic, null,
                config)).startsWith("HTTP/1.1 201");
        assertThat(RegionsIT.raw(port, "POST", west, "/v2/" + repo + "/blobs/uploads/?digest=" + d, basic, null, l))
                .startsWith("HTTP/1.1 201");
        String manifest = Fixtures.ociManifest(c, config.length, d, l.length);
        assertThat(RegionsIT.raw(port, "PUT", west, "/v2/" + repo + "/manifests/" + tag, basic,
                MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8))).startsWith("HTTP/1.1 201");
        return manifest;
    }

    private static String getWest(String path) throws Exception {
        return RegionsIT.raw(server.port(), "GET", "localhost:" + server.port(), path, server.basicAuth(), null, null);
    }
}
