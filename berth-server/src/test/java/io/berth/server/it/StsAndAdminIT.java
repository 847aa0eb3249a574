package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.ApiRequests;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS GetCallerIdentity through the AWS SDK's StsClient, and {@code berth admin} users and keys end to end. */
class StsAndAdminIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private StsClient sts(String key, String secret) {
        return StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .build();
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile(name + ":\\s+(\\S+)").matcher(output);
        assertThat(m.find()).as("%s in admin output %s", name, output).isTrue();
        return m.group(1);
    }

    @Test
    void getCallerIdentity_rootKey_rootArnAndAccount() {
        try (StsClient c = sts(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)) {
            GetCallerIdentityResponse r = c.getCallerIdentity();
            assertThat(r.account()).as("Account for the root key").isEqualTo(TestServer.ACCOUNT);
            assertThat(r.arn()).as("Arn for the root key").isEqualTo("arn:aws:iam::" + TestServer.ACCOUNT + ":root");
            assertThat(r.userId()).as("UserId for the root key").isEqualTo(TestServer.ACCOUNT);
        }
    }

    @Test
    void getCallerIdentity_wrongSecret_signatureDoesNotMatch() {
        try (StsClient c = sts(TestServer.ROOT_KEY_ID, "not-the-secret-at-all-0123456789")) {
            assertThatThrownBy(c::getCallerIdentity).as("GetCallerIdentity with the wrong secret")
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                        assertThat(e.statusCode()).isEqualTo(403);
                    });
        }
    }

    @Test
    void adminUserAndKey_createUseRevoke_revokedKeyUnrecognized() {
        String out = server.admin("create-user", "--with-key", "ci-bot");
        String keyId = field(out, "AccessKeyId");
        String secret = field(out, "SecretAccessKey");
        assertThat(keyId).as("generated key ID").matches("AKIA[A-Z0-9]{16}");
        assertThat(secret).as("generated secret").hasSize(40);

        try (StsClient c = sts(keyId, secret)) {
            GetCallerIdentityResponse r = c.getCallerIdentity();
            assertThat(r.arn()).as("Arn of the new user").isEqualTo("arn:aws:iam::" + TestServer.ACCOUNT
                    + ":user/ci-bot");
            assertThat(r.userId()).as("UserId of the new user").startsWith("AIDA");
        }
        assertThat(server.admin("list")).as("admin list").contains("user ci-bot").contains(keyId + " user/ci-bot ACTIVE")
                .doesNotContain(secret);

        server.admin("revoke-key", keyId);
        assertThat(server.admin("list")).as("admin list after revoking").contains(keyId + " user/ci-bot REVOKED");
        try (StsClient c = sts(keyId, secret)) {
            assertThatThrownBy(c::getCallerIdentity).as("GetCallerIdentity with the revoked key")
                    .isInstanceOfSatisfying(StsException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
        // on the ECR API the same condition is UnrecognizedClientException
        var request = io.berth.server.auth.SigV4TestSigner.signedEcrCall(server.port(), keyId, secret);
        assertThatThrownBy(() -> server.app().authenticator().authenticateApiCall(request))
                .as("ECR call signed with the revoked key").isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.code().awsType(io.berth.core.error.AwsService.ECR)).isEqualTo("UnrecognizedClientException");
                });
        assertThat(ApiRequests.signingService(request)).as("signing service of an ECR call").isEqualTo("ecr");
    }

    @Test
    void adminRevokeUser_keysStopWorking() {
        String out = server.admin("create-user", "--with-key", "temp-user");
        String keyId = field(out, "AccessKeyId");
        String secret = field(out, "SecretAccessKey");
        server.admin("revoke-user", "temp-user");
        try (StsClient c = sts(keyId, secret)) {
            assertThatThrownBy(c::getCallerIdentity).as("GetCallerIdentity as a revoked user")
                    .isInstanceOfSatisfying(StsException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
    }

    @Test
    void adminCreateAccount_otherAccountsKey_deniedOnDefaultRegistry() throws Exception {
        String out = server.admin("create-account", "--account", "210987654321");
        String keyId = field(out, "AccessKeyId");
        String secret = field(out, "SecretAccessKey");
        try (StsClient c = sts(keyId, secret)) {
            assertThat(c.getCallerIdentity().arn()).as("Arn of the new account's root")
                    .isEqualTo("arn:aws:iam::210987654321:root");
        }
        // the base check only says the credentials are good (docker login); repositories need a policy's grant
        var base = server.send(server.anonymous("/v2/").header("Authorization", TestServer.basic(keyId, secret)));
        assertThat(base.statusCode()).as("base check: %s", TestServer.describe(base)).isEqualTo(200);
        var r = server.send(server.anonymous("/v2/any/repo/tags/list")
                .header("Authorization", TestServer.basic(keyId, secret)));
        assertThat(r.statusCode()).as("other account's root on the default registry: %s", TestServer.describe(r))
                .isEqualTo(403);
    }
}
