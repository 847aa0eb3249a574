package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditQuery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

/** The key service through the AWS SDK's KmsClient against a real server: shapes, states and exact exceptions. */
class KmsApiIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final SdkBytes SECRET = SdkBytes.fromString("attack at dawn", StandardCharsets.UTF_8);

    private static KmsClient kms(String key, String secret) {
        return KmsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .build();
    }

    private static KmsClient root() {
        return kms(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
    }

    /** "__type: message" of the KMS error {@code call} fails with. */
    private static String errorOf(Runnable call) {
        try {
            call.run();
        } catch (KmsException e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void createDescribeList_haveKmsShapes() {
        try (KmsClient kms = root()) {
            KeyMetadata m = kms.createKey(b -> b.description("for tests")).keyMetadata();
            assertThat(m.keyId()).matches("[0-9a-f-]{36}");
            assertThat(m.arn()).isEqualTo("arn:aws:kms:us-east-1:" + TestServer.ACCOUNT + ":key/" + m.keyId());
            assertThat(m.keyState()).isEqualTo(KeyState.ENABLED);
            assertThat(m.enabled()).isTrue();
            assertThat(m.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
            assertThat(m.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
            assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
            assertThat(m.creationDate()).isNotNull();
            assertThat(kms.describeKey(b -> b.keyId(m.arn())).keyMetadata().description()).isEqualTo("for tests");
            assertThat(kms.listKeys(b -> b.limit(1000)).keys()).anyMatch(k -> k.keyId().equals(m.keyId())
                    && k.keyArn().equals(m.arn()));
            assertThat(kms.getKeyPolicy(b -> b.keyId(m.keyId())).policy())
                    .contains("arn:aws:iam::" + TestServer.ACCOUNT + ":root").contains("kms:*");
        }
    }

    @Test
    void encryptDecrypt_byEveryKeyIdForm_andWithoutKeyId() {
        try (KmsClient kms = root()) {
            KeyMetadata m = kms.createKey(b -> { }).keyMetadata();
            kms.createAlias(b -> b.aliasName("alias/forms").targetKeyId(m.keyId()));
            String aliasArn = "arn:aws:kms:us-east-1:" + TestServer.ACCOUNT + ":alias/forms";
            for (String id : List.of(m.keyId(), m.arn(), "alias/forms", aliasArn)) {
                var enc = kms.encrypt(b -> b.keyId(id).plaintext(SECRET).encryptionContext(Map.of("repo", "a")));
                assertThat(enc.keyId()).isEqualTo(m.arn());
                assertThat(new String(enc.ciphertextBlob().asByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("attack");
                var dec = kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())
                        .encryptionContext(Map.of("repo", "a")));
                assertThat(dec.plaintext()).isEqualTo(SECRET);
                assertThat(dec.keyId()).isEqualTo(m.arn());
            }
            var dk = kms.generateDataKey(b -> b.keyId("alias/forms").keySpec("AES_256"));
            assertThat(dk.plaintext().asByteArray()).hasSize(32);
            assertThat(kms.decrypt(b -> b.ciphertextBlob(dk.ciphertextBlob())).plaintext()).isEqualTo(dk.plaintext());
            List<AliasListEntry> aliases = kms.listAliases(b -> b.keyId(m.keyId())).aliases();
            assertThat(aliases).extracting(AliasListEntry::aliasName).containsExactly("alias/forms");
            assertThat(aliases.get(0).aliasArn()).isEqualTo(aliasArn);
            assertThat(aliases.get(0).targetKeyId()).isEqualTo(m.keyId());
        }
    }

    @Test
    void malformedAndUnknownKeyIds_areNotFoundException() {
        try (KmsClient kms = root()) {
            assertThat(errorOf(() -> kms.describeKey(b -> b.keyId("not-a-key")))).startsWith("NotFoundException: ");
            assertThat(errorOf(() -> kms.describeKey(b -> b.keyId("arn:aws:kms:eu-west-9:000000000000:key/x"))))
                    .startsWith("NotFoundException: ");
            assertThat(errorOf(() -> kms.describeKey(b -> b.keyId("11111111-2222-3333-4444-555555555555"))))
                    .startsWith("NotFoundException: ").contains("does not exist");
            assertThat(errorOf(() -> kms.encrypt(b -> b.keyId("alias/none").plaintext(SECRET))))
                    .startsWith("NotFoundException: ").contains("alias/none is not found");
            assertThat(errorOf(() -> kms.describeKey(b -> { }))).startsWith("ValidationException: ");
        }
    }

    @Test
    void foreignAlteredOrWrongContextCiphertext_isInvalidCiphertext_andAnotherKeyIsIncorrectKey() {
        try (KmsClient kms = root()) {
            String a = kms.createKey(b -> { }).keyMetadata().keyId();
            String other = kms.createKey(b -> { }).keyMetadata().keyId();
            SdkBytes blob = kms.encrypt(b -> b.keyId(a).plaintext(SECRET).encryptionContext(Map.of("k", "v")))
                    .ciphertextBlob();
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromUtf8String("garbage")))))
                    .startsWith("InvalidCiphertextException: ");
            byte[] altered = blob.asByteArray();
            altered[altered.length - 1] ^= 1;
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(altered))
                    .encryptionContext(Map.of("k", "v"))))).startsWith("InvalidCiphertextException: ");
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("k", "w")))))
                    .as("another context").startsWith("InvalidCiphertextException: ");
            byte[] foreign = blob.asByteArray();
            foreign[20] ^= 1; // the key UUID in the header: a key that is not here
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(foreign)))))
                    .as("a key of another deployment").startsWith("InvalidCiphertextException: ");
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(blob).keyId(other)
                    .encryptionContext(Map.of("k", "v"))))).startsWith("IncorrectKeyException: ");
        }
    }

    @Test
    void disableAndScheduleDeletion_refuseCryptography_andEnableOrCancelRestore() {
        try (KmsClient kms = root()) {
            String id = kms.createKey(b -> { }).keyMetadata().keyId();
            SdkBytes blob = kms.encrypt(b -> b.keyId(id).plaintext(SECRET)).ciphertextBlob();
            kms.disableKey(b -> b.keyId(id));
            assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
            assertThat(errorOf(() -> kms.encrypt(b -> b.keyId(id).plaintext(SECRET))))
                    .startsWith("DisabledException: ").contains("is disabled");
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(blob)))).startsWith("DisabledException: ");
            kms.enableKey(b -> b.keyId(id));
            assertThat(kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext()).isEqualTo(SECRET);

            var scheduled = kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7));
            assertThat(scheduled.keyStateAsString()).isEqualTo("PendingDeletion");
            assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
            assertThat(scheduled.deletionDate()).isAfter(java.time.Instant.now().plusSeconds(6 * 86400));
            assertThat(errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(blob))))
                    .startsWith("KMSInvalidStateException: ").contains("pending deletion");
            assertThat(errorOf(() -> kms.enableKey(b -> b.keyId(id)))).startsWith("KMSInvalidStateException: ");
            assertThat(errorOf(() -> kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(3))))
                    .startsWith("ValidationException: ");
            kms.cancelKeyDeletion(b -> b.keyId(id));
            assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState()).as("back, disabled")
                    .isEqualTo(KeyState.DISABLED);
            assertThat(errorOf(() -> kms.cancelKeyDeletion(b -> b.keyId(id)))).startsWith("KMSInvalidStateException");
            kms.enableKey(b -> b.keyId(id));
            assertThat(kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext()).isEqualTo(SECRET);
        }
    }

    @Test
    void rotation_keepsOldVersionsForDecrypt() {
        try (KmsClient kms = root()) {
            String id = kms.createKey(b -> { }).keyMetadata().keyId();
            assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isFalse();
            kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
            var status = kms.getKeyRotationStatus(b -> b.keyId(id));
            assertThat(status.keyRotationEnabled()).isTrue();
            assertThat(status.rotationPeriodInDays()).isEqualTo(90);
            assertThat(status.nextRotationDate()).isAfter(java.time.Instant.now().plusSeconds(89 * 86400));
            SdkBytes before = kms.encrypt(b -> b.keyId(id).plaintext(SECRET)).ciphertextBlob();
            kms.rotateKeyOnDemand(b -> b.keyId(id));
            SdkBytes after = kms.encrypt(b -> b.keyId(id).plaintext(SECRET)).ciphertextBlob();
            assertThat(version(after)).isEqualTo(version(before) + 1);
            assertThat(kms.decrypt(b -> b.ciphertextBlob(before)).plaintext()).isEqualTo(SECRET);
            assertThat(kms.decrypt(b -> b.ciphertextBlob(after)).plaintext()).isEqualTo(SECRET);
            assertThat(errorOf(() -> kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(30))))
                    .startsWith("ValidationException: ");
        }
    }

    private static int version(SdkBytes blob) {
        return java.nio.ByteBuffer.wrap(blob.asByteArray(), 29, 4).getInt();
    }

    @Test
    void aliasesAndPolicies_refuseWhatKmsRefuses() {
        try (KmsClient kms = root()) {
            String id = kms.createKey(b -> { }).keyMetadata().keyId();
            kms.createAlias(b -> b.aliasName("alias/taken").targetKeyId(id));
            assertThat(errorOf(() -> kms.createAlias(b -> b.aliasName("alias/taken").targetKeyId(id))))
                    .startsWith("AlreadyExistsException: ");
            assertThat(errorOf(() -> kms.createAlias(b -> b.aliasName("noprefix").targetKeyId(id))))
                    .startsWith("InvalidAliasNameException: ");
            assertThat(errorOf(() -> kms.createAlias(b -> b.aliasName("alias/aws/mine").targetKeyId(id))))
                    .startsWith("InvalidAliasNameException: ");
            kms.deleteAlias(b -> b.aliasName("alias/taken"));
            assertThat(errorOf(() -> kms.deleteAlias(b -> b.aliasName("alias/taken")))).startsWith("NotFoundException");
            assertThat(errorOf(() -> kms.putKeyPolicy(b -> b.keyId(id).policyName("default").policy("{nope"))))
                    .startsWith("MalformedPolicyDocumentException: ");
            assertThat(errorOf(() -> kms.createKey(b -> b.keySpec("RSA_2048").keyUsage("SIGN_VERIFY"))))
                    .startsWith("UnsupportedOperationException: ");
        }
    }

    @Test
    void keyPolicy_isEnforced_forUsersOfTheAccount() throws Exception {
        String out = server.admin("create-user", "kms-user", "--with-key");
        KeyMetadata m;
        try (KmsClient kms = root()) {
            m = kms.createKey(b -> { }).keyMetadata();
        }
        try (KmsClient user = kms(field(out, "AccessKeyId"), field(out, "SecretAccessKey"))) {
            assertThat(errorOf(() -> user.encrypt(b -> b.keyId(m.keyId()).plaintext(SECRET))))
                    .as("default policy delegates to IAM, and the user has no identity policy")
                    .startsWith("AccessDeniedException: ");
        }
        String userArn = "arn:aws:iam::" + TestServer.ACCOUNT + ":user/kms-user";
        try (KmsClient kms = root()) {
            kms.putKeyPolicy(b -> b.keyId(m.keyId()).policyName("default").policy("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                    + TestServer.ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"" + userArn + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}"));
        }
        try (KmsClient user = kms(field(out, "AccessKeyId"), field(out, "SecretAccessKey"))) {
            assertThat(user.encrypt(b -> b.keyId(m.keyId()).plaintext(SECRET)).keyId()).isEqualTo(m.arn());
            assertThat(errorOf(() -> user.disableKey(b -> b.keyId(m.keyId())))).startsWith("AccessDeniedException");
        }
    }

    @Test
    void everyCall_isAudited_withoutPlaintext() throws Exception {
        String id;
        try (KmsClient kms = root()) {
            id = kms.createKey(b -> b.description("audited")).keyMetadata().keyId();
            kms.encrypt(b -> b.keyId(id).plaintext(SECRET));
            errorOf(() -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromUtf8String("garbage"))));
        }
        List<AuditEvent> events = List.of();
        for (int i = 0; i < 50; i++) {
            events = server.app().stores().metadata().read(tx -> tx.audit().query(new AuditQuery(null, null, null,
                    null, null, 1000, null))).events().stream().filter(e -> e.eventSource().equals(
                    AuditEvent.SOURCE_KMS)).toList();
            if (events.stream().anyMatch(e -> "Decrypt".equals(e.eventName())
                    && "InvalidCiphertextException".equals(e.errorCode())) && events.stream().anyMatch(e ->
                    "Encrypt".equals(e.eventName()) && e.requestParameters().contains(id))) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(events).extracting(AuditEvent::eventName).contains("CreateKey", "Encrypt", "Decrypt");
        assertThat(events).filteredOn(e -> "Decrypt".equals(e.eventName())).extracting(AuditEvent::errorCode)
                .contains("InvalidCiphertextException");
        assertThat(events).filteredOn(e -> "Encrypt".equals(e.eventName())).as("this test's Encrypt")
                .anyMatch(e -> e.requestParameters().contains(id))
                .allSatisfy(e -> assertThat(e.requestParameters()).doesNotContain("Plaintext"));
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile(name + ":\\s+(\\S+)").matcher(output);
        assertThat(m.find()).as("%s in admin output %s", name, output).isTrue();
        return m.group(1);
    }
}
