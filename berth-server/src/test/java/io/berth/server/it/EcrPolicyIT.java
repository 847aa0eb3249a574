package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.server.auth.Identities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.SetRepositoryPolicyResponse;

/** The policy operations of the ECR API through the AWS SDK: repository and registry policies, the scope setting. */
class EcrPolicyIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final String A = TestServer.ACCOUNT;
    static final RegistryId B = new RegistryId("333344445555");
    static EcrClient ecr;
    static EcrClient bRoot;

    @BeforeAll
    static void clients() {
        ecr = server.ecr();
        Identities ids = server.app().stores().identities();
        ids.ensureAccount(B);
        Identities.NewKey k = ids.createAccessKey(B, null);
        bRoot = Ecr.client(server, k.accessKeyId(), k.secret());
    }

    @AfterAll
    static void close() {
        bRoot.close();
    }

    private static String policy(String effect, String principal, String action) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"s\",\"Effect\":\"" + effect
                + "\",\"Principal\":" + principal + ",\"Action\":\"" + action + "\"}]}";
    }

    private static String errorCode(Throwable t) {
        return ((EcrException) t).awsErrorDetails().errorCode();
    }

    @Test
    void repositoryPolicy_setGetDelete_roundTripsAndNotFoundAfter() {
        ecr.createRepository(q -> q.repositoryName("pol/app"));
        assertThatThrownBy(() -> ecr.getRepositoryPolicy(q -> q.repositoryName("pol/app")))
                .as("GetRepositoryPolicy before any").satisfies(t -> assertThat(errorCode(t))
                        .isEqualTo("RepositoryPolicyNotFoundException"));
        String text = policy("Allow", "{\"AWS\":\"" + B + "\"}", "ecr:BatchGetImage");
        SetRepositoryPolicyResponse set = ecr.setRepositoryPolicy(q -> q.repositoryName("pol/app").policyText(text));
        assertThat(set.registryId()).isEqualTo(A);
        assertThat(set.repositoryName()).isEqualTo("pol/app");
        assertThat(set.policyText()).isEqualTo(text);
        GetRepositoryPolicyResponse got = ecr.getRepositoryPolicy(q -> q.repositoryName("pol/app"));
        assertThat(got.policyText()).as("policy text as stored").isEqualTo(text);
        assertThat(ecr.deleteRepositoryPolicy(q -> q.repositoryName("pol/app")).policyText())
                .as("DeleteRepositoryPolicy returns the deleted text").isEqualTo(text);
        assertThatThrownBy(() -> ecr.deleteRepositoryPolicy(q -> q.repositoryName("pol/app")))
                .as("second delete").satisfies(t -> assertThat(errorCode(t))
                        .isEqualTo("RepositoryPolicyNotFoundException"));
    }

    @Test
    void setRepositoryPolicy_missingRepositoryOrInvalidText_refused() {
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(q -> q.repositoryName("pol/none")
                .policyText(policy("Allow", "\"*\"", "ecr:BatchGetImage"))))
                .as("on a missing repository").satisfies(t -> assertThat(errorCode(t))
                        .isEqualTo("RepositoryNotFoundException"));
        ecr.createRepository(q -> q.repositoryName("pol/invalid"));
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(q -> q.repositoryName("pol/invalid")
                .policyText(policy("Allow", "\"*\"", "s3:GetObject"))))
                .as("a non-ECR action").satisfies(t -> assertThat(errorCode(t)).isEqualTo("InvalidParameterException"));
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(q -> q.repositoryName("pol/invalid")
                .policyText(" ".repeat(10_241)))).as("over 10,240 characters")
                .satisfies(t -> assertThat(errorCode(t)).isEqualTo("InvalidParameterException"));
    }

    @Test
    void setRepositoryPolicy_lockingCallerOut_refusedUnlessForced() {
        ecr.createRepository(q -> q.repositoryName("pol/lock"));
        String lockout = policy("Deny", "{\"AWS\":\"arn:aws:iam::" + A + ":root\"}", "ecr:SetRepositoryPolicy");
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(q -> q.repositoryName("pol/lock").policyText(lockout)))
                .as("lock-out without force").satisfies(t -> {
                    assertThat(errorCode(t)).isEqualTo("InvalidParameterException");
                    assertThat(((EcrException) t).awsErrorDetails().errorMessage())
                            .contains("would prevent the caller from setting a repository policy");
                });
        ecr.setRepositoryPolicy(q -> q.repositoryName("pol/lock").policyText(lockout).force(true));
        assertThatThrownBy(() -> ecr.setRepositoryPolicy(q -> q.repositoryName("pol/lock")
                .policyText(policy("Allow", "\"*\"", "ecr:BatchGetImage")))).as("after the forced lock-out")
                .satisfies(t -> {
                    assertThat(errorCode(t)).isEqualTo("AccessDeniedException");
                    assertThat(((EcrException) t).awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::"
                            + A + ":root is not authorized to perform: ecr:SetRepositoryPolicy on resource: "
                            + "arn:aws:ecr:us-east-1:" + A + ":repository/pol/lock with an explicit deny in a "
                            + "resource-based policy");
                });
        ecr.deleteRepositoryPolicy(q -> q.repositoryName("pol/lock")); // the deny names SetRepositoryPolicy only
    }

    @Test
    void deleteRepository_dropsItsPolicy() {
        ecr.createRepository(q -> q.repositoryName("pol/gone"));
        ecr.setRepositoryPolicy(q -> q.repositoryName("pol/gone").policyText(policy("Allow", "\"*\"",
                "ecr:BatchGetImage")));
        ecr.deleteRepository(q -> q.repositoryName("pol/gone"));
        ecr.createRepository(q -> q.repositoryName("pol/gone"));
        assertThatThrownBy(() -> ecr.getRepositoryPolicy(q -> q.repositoryName("pol/gone")))
                .as("a re-created repository starts without the old policy")
                .satisfies(t -> assertThat(errorCode(t)).isEqualTo("RepositoryPolicyNotFoundException"));
    }

    @Test
    void registryPolicy_scopeV2GrantsCrossAccount_V1OnlyThreeActions() {
        ecr.createRepository(q -> q.repositoryName("reg/app"));
        assertThatThrownBy(() -> ecr.getRegistryPolicy(q -> { })).as("GetRegistryPolicy before any")
                .satisfies(t -> assertThat(errorCode(t)).isEqualTo("RegistryPolicyNotFoundException"));
        assertThat(ecr.getAccountSetting(q -> q.name("REGISTRY_POLICY_SCOPE")).value()).as("default scope")
                .isEqualTo("V2");
        assertThatThrownBy(() -> bRoot.listImages(q -> q.registryId(A).repositoryName("reg/app")))
                .as("account B before the registry policy").satisfies(t -> assertThat(errorCode(t))
                        .isEqualTo("AccessDeniedException"));
        String grant = policy("Allow", "{\"AWS\":\"" + B + "\"}", "ecr:ListImages");
        assertThat(ecr.putRegistryPolicy(q -> q.policyText(grant)).policyText()).isEqualTo(grant);
        assertThat(ecr.getRegistryPolicy(q -> { }).policyText()).isEqualTo(grant);
        assertThat(bRoot.listImages(q -> q.registryId(A).repositoryName("reg/app")).imageIds())
                .as("account B lists under the V2 registry policy").isEmpty();

        ecr.putAccountSetting(q -> q.name("REGISTRY_POLICY_SCOPE").value("V1"));
        assertThat(ecr.getAccountSetting(q -> q.name("REGISTRY_POLICY_SCOPE")).value()).isEqualTo("V1");
        assertThatThrownBy(() -> bRoot.listImages(q -> q.registryId(A).repositoryName("reg/app")))
                .as("under V1 the registry policy no longer governs ListImages").satisfies(t ->
                        assertThat(errorCode(t)).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> ecr.putRegistryPolicy(q -> q.policyText(grant)))
                .as("V1 refuses other actions at put time").satisfies(t -> assertThat(errorCode(t))
                        .isEqualTo("InvalidParameterException"));
        ecr.putRegistryPolicy(q -> q.policyText(policy("Allow", "{\"AWS\":\"" + B + "\"}",
                "ecr:CreateRepository")));
        bRoot.createRepository(q -> q.registryId(A).repositoryName("reg/created-by-b"));
        assertThat(ecr.describeRepositories(q -> q.repositoryNames("reg/created-by-b")).repositories())
                .as("CreateRepository granted by the V1 registry policy").hasSize(1);

        ecr.putAccountSetting(q -> q.name("REGISTRY_POLICY_SCOPE").value("V2"));
        assertThat(ecr.deleteRegistryPolicy(q -> { }).policyText()).contains("ecr:CreateRepository");
        assertThatThrownBy(() -> ecr.deleteRegistryPolicy(q -> { })).as("second delete")
                .satisfies(t -> assertThat(errorCode(t)).isEqualTo("RegistryPolicyNotFoundException"));
        assertThatThrownBy(() -> ecr.putAccountSetting(q -> q.name("REGISTRY_POLICY_SCOPE").value("V3")))
                .as("unknown scope").satisfies(t -> assertThat(errorCode(t)).isEqualTo("InvalidParameterException"));
    }
}
