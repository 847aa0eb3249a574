package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DeleteLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.PutLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.RCTAppliedFor;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** PutLifecyclePolicy, GetLifecyclePolicy and DeleteLifecyclePolicy through the SDK's EcrClient. */
class LifecyclePolicyIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final String POLICY = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep ten untagged\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":10},"
            + "\"action\":{\"type\":\"expire\"}}]}";

    private static EcrClient ecr() { return server.ecr(); }

    private static List<String> settingEvents(String repository) {
        return server.app().stores().metadata().read(tx -> tx.events().list(
                new EventStore.Filter(repository, null, 0, 1000))).stream()
                .filter(e -> e.type() == RegistryEvent.Type.SETTING_CHANGED)
                .map(e -> e.reason() + " " + e.detail()).toList();
    }

    @Test
    void put_get_delete_roundTripTheTextVerbatim_withSettingEvents() {
        String repo = "lc/app";
        ecr().createRepository(b -> b.repositoryName(repo));
        String text = "  " + POLICY + "\n";
        PutLifecyclePolicyResponse put = ecr().putLifecyclePolicy(b -> b.repositoryName(repo)
                .lifecyclePolicyText(text));
        assertThat(put.lifecyclePolicyText()).as("put answer for %s", repo).isEqualTo(text);
        assertThat(put.registryId()).isEqualTo(TestServer.ACCOUNT);
        assertThat(put.repositoryName()).isEqualTo(repo);

        GetLifecyclePolicyResponse got = ecr().getLifecyclePolicy(b -> b.repositoryName(repo));
        assertThat(got.lifecyclePolicyText()).as("get after put, text sent verbatim").isEqualTo(text);
        assertThat(got.lastEvaluatedAt()).as("never evaluated").isNull();

        long id = server.app().stores().metadata().read(tx -> tx.repositories()
                .get(new RegistryId(TestServer.ACCOUNT), RepositoryName.of(repo)).orElseThrow().id());
        Instant evaluated = Instant.parse("2026-01-02T03:04:05.678Z");
        server.app().stores().metadata().write(tx -> tx.lifecyclePolicies().markEvaluated(id, evaluated));
        assertThat(ecr().getLifecyclePolicy(b -> b.repositoryName(repo)).lastEvaluatedAt())
                .as("lastEvaluatedAt once recorded").isEqualTo(evaluated);

        DeleteLifecyclePolicyResponse deleted = ecr().deleteLifecyclePolicy(b -> b.repositoryName(repo));
        assertThat(deleted.lifecyclePolicyText()).as("delete answers the deleted text").isEqualTo(text);
        assertThat(deleted.lastEvaluatedAt()).isEqualTo(evaluated);
        assertThat(settingEvents(repo)).as("setting events of %s", repo)
                .containsExactly("LIFECYCLE_POLICY set, 1 rule(s)", "LIFECYCLE_POLICY deleted");
    }

    @Test
    void notFound_asEcrNamesIt() {
        String repo = "lc/none";
        ecr().createRepository(b -> b.repositoryName(repo));
        String message = "Lifecycle policy does not exist for the repository with name '" + repo
                + "' in the registry with id '" + TestServer.ACCOUNT + "'";
        assertThatThrownBy(() -> ecr().getLifecyclePolicy(b -> b.repositoryName(repo)))
                .as("get without a policy").isInstanceOf(LifecyclePolicyNotFoundException.class)
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> ecr().deleteLifecyclePolicy(b -> b.repositoryName(repo)))
                .as("delete without a policy").isInstanceOf(LifecyclePolicyNotFoundException.class);
        assertThatThrownBy(() -> ecr().putLifecyclePolicy(b -> b.repositoryName("lc/missing")
                .lifecyclePolicyText(POLICY))).as("put on a missing repository")
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThat(settingEvents(repo)).as("no events for refused calls").isEmpty();
    }

    @Test
    void badPolicies_areRefusedWithEcrsMessages() {
        String repo = "lc/bad";
        ecr().createRepository(b -> b.repositoryName(repo));
        assertThat(Ecr.errorOf(() -> ecr().putLifecyclePolicy(b -> b.repositoryName(repo)
                .lifecyclePolicyText(POLICY.replace("\"countNumber\":10", "\"countNumber\":0")))))
                .as("countNumber 0").isEqualTo("InvalidParameterException: Lifecycle policy validation failure: "
                        + "numeric instance is lower than the required minimum (minimum: 1, found: 0)"
                        + " at /rules/0/selection/countNumber");
        assertThat(Ecr.errorOf(() -> ecr().putLifecyclePolicy(b -> b.repositoryName(repo)
                .lifecyclePolicyText(POLICY.replace("\"rules\"", "\"foo\":1,\"rules\"")))))
                .as("unknown field foo").isEqualTo("InvalidParameterException: Lifecycle policy validation failure: "
                        + "object instance has properties which are not allowed by the schema: ([\"foo\"])");
        assertThat(Ecr.errorOf(() -> ecr().putLifecyclePolicy(b -> b.repositoryName(repo)
                .lifecyclePolicyText("x".repeat(100))))).as("not JSON").isEqualTo("InvalidParameterException: "
                        + "Lifecycle policy validation failure: Could not map policyString into LifecyclePolicy.");
        String tooLong = POLICY + " ".repeat(30_721 - POLICY.length());
        assertThat(Ecr.errorOf(() -> ecr().putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText(tooLong))))
                .as("30,721 characters").startsWith("ValidationException: 1 validation error detected: ")
                .contains("'lifecyclePolicyText'").contains("Member must have length less than or equal to 30720");
        String longest = POLICY + " ".repeat(30_720 - POLICY.length());
        assertThat(ecr().putLifecyclePolicy(b -> b.repositoryName(repo).lifecyclePolicyText(longest))
                .lifecyclePolicyText()).as("30,720 characters accepted").hasSize(30_720);
    }

    @Test
    void createOnPushTemplate_givesTheRepositoryItsLifecyclePolicy() throws Exception {
        ecr().createRepositoryCreationTemplate(b -> b.prefix("lctpl").appliedFor(RCTAppliedFor.CREATE_ON_PUSH)
                .lifecyclePolicy(POLICY));
        Ecr.push(server, "lctpl/app", "v1", 21);
        assertThat(ecr().getLifecyclePolicy(b -> b.repositoryName("lctpl/app")).lifecyclePolicyText())
                .as("policy of a repository created by a /v2 push under template lctpl").isEqualTo(POLICY);
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(b -> b.prefix("lcbad")
                .appliedFor(RCTAppliedFor.CREATE_ON_PUSH).lifecyclePolicy(POLICY.replace("untagged", "some")))))
                .as("template with an invalid lifecycle policy").startsWith("InvalidParameterException: Invalid "
                        + "parameter at 'lifecyclePolicy' failed to satisfy constraint: 'Lifecycle policy validation "
                        + "failure: instance value (\"some\") not found in enum");
    }
}
