package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import io.berth.server.auth.Identities;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The Secrets Manager subset with the real SDK client, and pull-through rules that log in with a secret: the
 * upstream is a second Berth with authentication on (Basic with an access key), as CNCF distribution with htpasswd
 * is in the interop stage.
 */
class SecretsManagerIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    /** An upstream that wants credentials: its root key, sent as Basic (or to its token endpoint). */
    static final TestServer upstream = new TestServer();
    static SecretsManagerClient sm;

    @BeforeAll
    static void start() throws Exception {
        upstream.beforeAll(null);
        sm = client(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        sm.close();
        upstream.afterAll(null);
    }

    static SecretsManagerClient client(String keyId, String secret) {
        return SecretsManagerClient.builder().endpointOverride(server.uri("/")).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .build();
    }

    /** "__type: message" of the Secrets Manager error {@code call} fails with. */
    static String errorOf(Runnable call) {
        try {
            call.run();
        } catch (SecretsManagerException e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void createPutGetDescribe_versionsAndLabels() {
        CreateSecretResponse c = sm.createSecret(b -> b.name("app/db").description("the db")
                .secretString("{\"password\":\"one\"}").tags(t -> t.key("team").value("core")));
        assertThat(c.arn()).matches("arn:aws:secretsmanager:us-east-1:" + TestServer.ACCOUNT
                + ":secret:app/db-[A-Za-z0-9]{6}");
        assertThat(c.versionId()).isNotBlank();
        assertThat(errorOf(() -> sm.createSecret(b -> b.name("app/db").secretString("x"))))
                .startsWith("ResourceExistsException: ").contains("already exists");
        assertThat(sm.getSecretValue(b -> b.secretId("app/db")).secretString()).isEqualTo("{\"password\":\"one\"}");

        String v2 = sm.putSecretValue(b -> b.secretId(c.arn()).secretString("two")).versionId();
        assertThat(sm.getSecretValue(b -> b.secretId(c.arn())).secretString()).isEqualTo("two");
        assertThat(sm.getSecretValue(b -> b.secretId("app/db").versionStage("AWSPREVIOUS")).secretString())
                .isEqualTo("{\"password\":\"one\"}");
        String partialArn = c.arn().substring(0, c.arn().length() - 7);
        assertThat(sm.getSecretValue(b -> b.secretId(partialArn).versionId(v2)).versionStages())
                .as("by partial ARN and version ID").containsExactly("AWSCURRENT");
        DescribeSecretResponse d = sm.describeSecret(b -> b.secretId("app/db"));
        assertThat(d.description()).isEqualTo("the db");
        assertThat(d.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=core");
        assertThat(d.versionIdsToStages()).containsEntry(v2, List.of("AWSCURRENT"))
                .containsEntry(c.versionId(), List.of("AWSPREVIOUS")).hasSize(2);
        assertThat(d.lastAccessedDate()).as("read today").isNotNull();

        SdkBytes bytes = SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255});
        sm.createSecret(b -> b.name("app/bin").secretBinary(bytes));
        assertThat(sm.getSecretValue(b -> b.secretId("app/bin")).secretBinary()).isEqualTo(bytes);

        assertThat(errorOf(() -> sm.describeSecret(b -> b.secretId("nope"))))
                .startsWith("ResourceNotFoundException: ");
        assertThat(errorOf(() -> sm.getSecretValue(b -> b.secretId("arn:aws:secretsmanager:us-east-1:"
                + "999999999999:secret:app/db")))).as("another account's ARN names nothing here")
                .startsWith("AccessDeniedException: ");
        assertThat(errorOf(() -> sm.putSecretValue(b -> b.secretId("app/db").secretString("a")
                .secretBinary(bytes)))).startsWith("InvalidParameterException: ").contains("both");
        assertThat(errorOf(() -> sm.createSecret(b -> b.name("bad name!"))))
                .startsWith("InvalidParameterException: ");
    }

    @Test
    void clientRequestToken_retrySameValueIsIdempotent_otherValueRefused() {
        String token = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7";
        sm.createSecret(b -> b.name("idem"));
        String v = sm.putSecretValue(b -> b.secretId("idem").clientRequestToken(token).secretString("x")).versionId();
        assertThat(v).isEqualTo(token);
        assertThat(sm.putSecretValue(b -> b.secretId("idem").clientRequestToken(token).secretString("x"))
                .versionId()).isEqualTo(token);
        assertThat(errorOf(() -> sm.putSecretValue(b -> b.secretId("idem").clientRequestToken(token)
                .secretString("y")))).startsWith("ResourceExistsException: ");
        assertThat(sm.describeSecret(b -> b.secretId("idem")).versionIdsToStages()).hasSize(1);
    }

    @Test
    void delete_recoveryWindow_restore_force() {
        sm.createSecret(b -> b.name("gone/soon").secretString("s"));
        assertThat(errorOf(() -> sm.deleteSecret(b -> b.secretId("gone/soon").recoveryWindowInDays(7L)
                .forceDeleteWithoutRecovery(true)))).startsWith("InvalidParameterException: ")
                .contains("ForceDeleteWithoutRecovery");
        assertThat(errorOf(() -> sm.deleteSecret(b -> b.secretId("gone/soon").recoveryWindowInDays(5L))))
                .startsWith("InvalidParameterException: ").contains("between 7 and 30");
        Instant deletion = sm.deleteSecret(b -> b.secretId("gone/soon").recoveryWindowInDays(7L)).deletionDate();
        assertThat(Duration.between(Instant.now(), deletion)).isBetween(Duration.ofDays(7).minusMinutes(5),
                Duration.ofDays(7).plusMinutes(5));
        assertThat(errorOf(() -> sm.getSecretValue(b -> b.secretId("gone/soon"))))
                .startsWith("InvalidRequestException: ").contains("marked for deletion");
        assertThat(errorOf(() -> sm.createSecret(b -> b.name("gone/soon"))))
                .startsWith("InvalidRequestException: ").contains("scheduled for deletion");
        assertThat(names(sm.listSecrets(b -> b.filters(f -> f.key("name").values("gone/"))).secretList()))
                .as("hidden from the list").isEmpty();
        List<SecretListEntry> planned = sm.listSecrets(b -> b.includePlannedDeletion(true)
                .filters(f -> f.key("name").values("gone/"))).secretList();
        assertThat(names(planned)).containsExactly("gone/soon");
        assertThat(planned.get(0).deletedDate()).isNotNull();

        sm.restoreSecret(b -> b.secretId("gone/soon"));
        assertThat(sm.getSecretValue(b -> b.secretId("gone/soon")).secretString()).isEqualTo("s");
        Instant now = sm.deleteSecret(b -> b.secretId("gone/soon").forceDeleteWithoutRecovery(true)).deletionDate();
        assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
        assertThat(errorOf(() -> sm.describeSecret(b -> b.secretId("gone/soon"))))
                .startsWith("ResourceNotFoundException: ");
        sm.createSecret(b -> b.name("gone/soon").secretString("again"));
        assertThat(sm.getSecretValue(b -> b.secretId("gone/soon")).secretString()).isEqualTo("again");
    }

    @Test
    void listSecrets_pages() {
        for (String n : List.of("page/a", "page/b", "page/c")) {
            sm.createSecret(b -> b.name(n).secretString("v"));
        }
        var first = sm.listSecrets(b -> b.maxResults(2).filters(f -> f.key("name").values("page/")));
        assertThat(names(first.secretList())).containsExactly("page/a", "page/b");
        assertThat(first.secretList().get(0).secretVersionsToStages()).hasSize(1);
        var second = sm.listSecrets(b -> b.maxResults(2).nextToken(first.nextToken())
                .filters(f -> f.key("name").values("page/")));
        assertThat(names(second.secretList())).containsExactly("page/c");
        assertThat(second.nextToken()).isNull();
        assertThat(errorOf(() -> sm.listSecrets(b -> b.nextToken("forged")))).startsWith("InvalidParameterException");
    }

    @Test
    void getSecretValue_onlyTheOwner_andValuesAreSealedAtRest() throws Exception {
        Identities ids = server.app().stores().identities();
        RegistryId a = new RegistryId(TestServer.ACCOUNT);
        ids.createUser(a, "ops");
        Identities.NewKey k = ids.createAccessKey(a, "ops");
        server.app().stores().policies().putUserPolicy(a, "ops", "all", "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}");
        ids.createUser(a, "nobody");
        Identities.NewKey none = ids.createAccessKey(a, "nobody");
        sm.createSecret(b -> b.name("owned").secretString("plaintext-marker-42"));
        try (SecretsManagerClient ops = client(k.accessKeyId(), k.secret());
             SecretsManagerClient nobody = client(none.accessKeyId(), none.secret())) {
            assertThat(ops.describeSecret(b -> b.secretId("owned")).name()).as("allowed by its policy")
                    .isEqualTo("owned");
            assertThat(errorOf(() -> ops.getSecretValue(b -> b.secretId("owned"))))
                    .startsWith("AccessDeniedException: ").contains("only the principal that created");
            ops.createSecret(b -> b.name("ops-own").secretString("mine"));
            assertThat(ops.getSecretValue(b -> b.secretId("ops-own")).secretString()).isEqualTo("mine");
            assertThat(errorOf(() -> nobody.listSecrets(b -> { }))).as("no policy, no access")
                    .startsWith("AccessDeniedException: ").contains("secretsmanager:ListSecrets");
        }
        Path db;
        try (Stream<Path> files = Files.walk(server.data())) {
            db = files.filter(p -> p.getFileName().toString().endsWith(".db")).findFirst().orElseThrow();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT value_sealed FROM secret_versions")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("plaintext-marker");
            }
            assertThat(rows).isPositive();
        }
    }

    @Test
    void pullThroughRule_logsInWithItsSecret() throws Exception {
        byte[] manifest = PullThroughCacheIT.pushImage(upstream, "team/app", "v1", "creds");
        String url = "http://127.0.0.1:" + upstream.port();
        String bad = sm.createSecret(b -> b.name("ecr-pullthroughcache/wrong").secretString(
                "{\"username\":\"" + TestServer.ROOT_KEY_ID + "\",\"accessToken\":\"not-it\"}")).arn();
        String good = sm.createSecret(b -> b.name("ecr-pullthroughcache/upstream").secretString(
                "{\"username\":\"" + TestServer.ROOT_KEY_ID + "\",\"accessToken\":\"" + TestServer.ROOT_SECRET
                        + "\"}")).arn();
        server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("up").upstreamRegistryUrl(url)
                .credentialArn(bad));
        var invalid = server.ecr().validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("up"));
        assertThat(invalid.isValid()).isFalse();
        assertThat(invalid.failure()).contains("refused");
        HttpResponse<byte[]> refused = server.get("/v2/up/team/app/manifests/v1");
        assertThat(refused.statusCode()).as(TestServer.describe(refused)).isEqualTo(502);

        var updated = server.ecr().updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("up").credentialArn(good));
        assertThat(updated.credentialArn()).isEqualTo(good);
        assertThat(server.ecr().validatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("up")).isValid()).isTrue();
        HttpResponse<byte[]> pulled = server.get("/v2/up/team/app/manifests/v1");
        assertThat(pulled.statusCode()).as(TestServer.describe(pulled)).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(manifest);
        assertThat(server.ecr().describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("up"))
                .pullThroughCacheRules().get(0).credentialArn()).isEqualTo(good);

        String missing = good.substring(0, good.lastIndexOf(':') + 1) + "ecr-pullthroughcache/absent-AbCdEf";
        assertThat(Ecr.errorOf(() -> server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("up2")
                .upstreamRegistryUrl(url).credentialArn(missing)))).startsWith("SecretNotFoundException: ");
        assertThat(Ecr.errorOf(() -> server.ecr().createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("up3")
                .upstreamRegistryUrl(url).credentialArn(good.replace("ecr-pullthroughcache/", "other/")))))
                .as("a secret name without the prefix").startsWith("ValidationException: ")
                .contains("ecr\\-pullthroughcache");
    }

    /** Raw calls: the protocol's own errors for a wrong type, an unknown operation, another service's signature. */
    @Test
    void malformedAndMissigned_getTheProtocolsErrors_neverA500() throws Exception {
        byte[] wrongType = "{\"Name\": 42}".getBytes(StandardCharsets.UTF_8);
        AwsRaw.Response r = raw("CreateSecret", wrongType, "secretsmanager");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("x-amzn-errortype")).isEqualTo("SerializationException");
        byte[] notJson = "{\"Name\":".getBytes(StandardCharsets.UTF_8);
        assertThat(raw("CreateSecret", notJson, "secretsmanager").header("x-amzn-errortype"))
                .isEqualTo("SerializationException");
        AwsRaw.Response unknown = raw("RotateSecret", "{}".getBytes(StandardCharsets.UTF_8), "secretsmanager");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("x-amzn-errortype")).isEqualTo("UnknownOperationException");
        AwsRaw.Response ecrSigned = raw("ListSecrets", "{}".getBytes(StandardCharsets.UTF_8), "ecr");
        assertThat(ecrSigned.status()).as("signed for ecr, not secretsmanager: " + ecrSigned).isIn(400, 401, 403);
        assertThat(ecrSigned.body()).contains("__type");
        AwsRaw.Response missing = raw("GetSecretValue", "{}".getBytes(StandardCharsets.UTF_8), "secretsmanager");
        assertThat(missing.header("x-amzn-errortype")).as("no SecretId").isEqualTo("InvalidParameterException");
        assertThat(errorOf(() -> sm.listSecrets(b -> b.maxResults(101)))).startsWith("InvalidParameterException");
        assertThat(errorOf(() -> sm.createSecret(b -> b.name("big").secretString("x".repeat(70_000)))))
                .startsWith("InvalidParameterException").contains("65536");
    }

    private static AwsRaw.Response raw(String operation, byte[] body, String service) throws Exception {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("host", "127.0.0.1:" + server.port());
        h.put("content-type", "application/x-amz-json-1.1");
        h.put("x-amz-date", io.berth.server.auth.RawSigV4.amzDate(Instant.now()));
        h.put("x-amz-target", "secretsmanager." + operation);
        h.put("authorization", io.berth.server.auth.RawSigV4.authorization(h, AwsRaw.ALL_SIGNED, body,
                TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET, "us-east-1", service));
        h.put("content-length", String.valueOf(body.length));
        return AwsRaw.exchange(server.port(), AwsRaw.head(h), body, body.length);
    }

    private static List<String> names(List<SecretListEntry> entries) {
        return entries.stream().map(SecretListEntry::name).toList();
    }
}
