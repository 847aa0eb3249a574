package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;

/**
 * Repositories encrypted with a key of the key service: created with the key's ARN (alias/aws/ecr's by default),
 * and their pulls and pushes need the key usable (ECR's KmsException; DENIED on /v2), restored when it is enabled.
 */
class KmsRepositoryIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static KmsClient kms() {
        return kms(server);
    }

    /** A KMS client of the SDK against {@code server}'s key service, as the root user. */
    static KmsClient kms(TestServer server) {
        return KmsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET))).build();
    }

    @Test
    void kmsRepository_isCreatedWithTheKeyArn_andFollowsTheKeysState() throws Exception {
        EcrClient ecr = server.ecr();
        try (KmsClient kms = kms()) {
            String keyArn = kms.createKey(b -> b.description("repo key")).keyMetadata().arn();
            kms.createAlias(b -> b.aliasName("alias/repo-key").targetKeyId(keyArn));
            Repository r = ecr.createRepository(b -> b.repositoryName("kms/app").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey("alias/repo-key"))).repository();
            assertThat(r.encryptionConfiguration().kmsKey()).as("resolved to the key's ARN").isEqualTo(keyArn);
            assertThat(ecr.describeRepositories(b -> b.repositoryNames("kms/app")).repositories().get(0)
                    .encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS);
            Ecr.Pushed image = Ecr.push(server, "kms/app", "v1", 11);

            kms.disableKey(b -> b.keyId(keyArn));
            HttpResponse<byte[]> pull = awaitStatus("/v2/kms/app/manifests/v1", 403);
            assertThat(TestServer.text(pull)).contains("DENIED").contains(keyArn).contains("disabled");
            assertThat(server.get("/v2/kms/app/blobs/" + image.layer()).statusCode()).isEqualTo(403);
            assertThat(Ecr.errorOf(() -> ecr.batchGetImage(b -> b.repositoryName("kms/app")
                    .imageIds(i -> i.imageTag("v1"))))).startsWith("KmsException: ").contains("DisabledException");
            assertThat(Ecr.errorOf(() -> ecr.initiateLayerUpload(b -> b.repositoryName("kms/app"))))
                    .as("pushes fail too").startsWith("KmsException: ");
            HttpResponse<byte[]> push = server.send("POST", "/v2/kms/app/blobs/uploads/", new byte[0]);
            assertThat(push.statusCode()).isEqualTo(403);

            kms.enableKey(b -> b.keyId(keyArn));
            HttpResponse<byte[]> back = awaitStatus("/v2/kms/app/manifests/v1", 200);
            assertThat(TestServer.text(back)).isEqualTo(image.manifest());
            Ecr.push(server, "kms/app", "v2", 12);

            kms.scheduleKeyDeletion(b -> b.keyId(keyArn).pendingWindowInDays(7));
            assertThat(TestServer.text(awaitStatus("/v2/kms/app/manifests/v1", 403))).contains("pending deletion");
            kms.cancelKeyDeletion(b -> b.keyId(keyArn));
            kms.enableKey(b -> b.keyId(keyArn));
            awaitStatus("/v2/kms/app/manifests/v1", 200);
        }
    }

    @Test
    void kmsWithoutKey_usesTheAccountsAwsEcrKey_createdOnFirstUse() {
        EcrClient ecr = server.ecr();
        Repository r = ecr.createRepository(b -> b.repositoryName("kms/default").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.KMS))).repository();
        try (KmsClient kms = kms()) {
            AliasListEntry managed = kms.listAliases(b -> { }).aliases().stream()
                    .filter(a -> a.aliasName().equals("alias/aws/ecr")).findFirst().orElseThrow();
            String arn = kms.describeKey(b -> b.keyId("alias/aws/ecr")).keyMetadata().arn();
            assertThat(r.encryptionConfiguration().kmsKey()).isEqualTo(arn);
            assertThat(arn).endsWith(managed.targetKeyId());
            assertThat(kms.describeKey(b -> b.keyId(arn)).keyMetadata().keyManagerAsString()).isEqualTo("AWS");
        }
        Repository again = ecr.createRepository(b -> b.repositoryName("kms/default2").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.KMS_DSSE))).repository();
        assertThat(again.encryptionConfiguration().kmsKey()).as("the same managed key, not a second one")
                .isEqualTo(r.encryptionConfiguration().kmsKey());
    }

    @Test
    void aMount_fromARepositoryWhoseKeyIsDisabled_isRefused_andAMountAcrossKeysWorksOtherwise() throws Exception {
        EcrClient ecr = server.ecr();
        try (KmsClient kms = kms()) {
            String a = kms.createKey(b -> { }).keyMetadata().arn();
            String b2 = kms.createKey(b -> { }).keyMetadata().arn();
            ecr.createRepository(b -> b.repositoryName("kms/src").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(a)));
            ecr.createRepository(b -> b.repositoryName("kms/dst").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(b2)));
            Ecr.Pushed image = Ecr.push(server, "kms/src", "v1", 21);
            String mount = "/v2/kms/dst/blobs/uploads/?mount=" + image.layer() + "&from=kms/src";
            assertThat(server.send("POST", mount, new byte[0]).statusCode()).as("mounted across keys")
                    .isEqualTo(201);
            assertThat(server.get("/v2/kms/dst/blobs/" + image.layer()).statusCode()).isEqualTo(200);

            kms.disableKey(b -> b.keyId(a));
            Ecr.Pushed other = Ecr.push(server, "kms/dst", "v2", 22);
            HttpResponse<byte[]> refused = null;
            for (int i = 0; i < 50; i++) {
                refused = server.send("POST", "/v2/kms/dst/blobs/uploads/?mount=" + image.config()
                        + "&from=kms/src", new byte[0]);
                if (refused.statusCode() == 403) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(refused.statusCode()).as("the source's key is disabled").isEqualTo(403);
            assertThat(TestServer.text(refused)).contains(a);
            assertThat(server.get("/v2/kms/dst/blobs/" + other.layer()).statusCode())
                    .as("the target's own key is fine").isEqualTo(200);
            kms.enableKey(b -> b.keyId(a));
        }
    }

    @Test
    void aKeyThatDoesNotExist_refusesTheCreation_withKmsException() {
        EcrClient ecr = server.ecr();
        assertThat(Ecr.errorOf(() -> ecr.createRepository(b -> b.repositoryName("kms/none").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.KMS).kmsKey("alias/nothing")))))
                .startsWith("KmsException: ").contains("NotFoundException");
        assertThat(Ecr.errorOf(() -> ecr.describeRepositories(b -> b.repositoryNames("kms/none"))))
                .startsWith("RepositoryNotFoundException");
    }

    /** Key state is cached for a second: waits up to 5 s for the status. */
    private static HttpResponse<byte[]> awaitStatus(String path, int status) throws Exception {
        HttpResponse<byte[]> r = null;
        for (int i = 0; i < 50; i++) {
            r = server.get(path, "Accept", MediaTypes.OCI_MANIFEST);
            if (r.statusCode() == status) {
                return r;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("expected " + status + " from " + path + ", last " + TestServer.describe(r));
    }
}
