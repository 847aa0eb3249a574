package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryCreationTemplateRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoryCreationTemplatesResponse;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.RCTAppliedFor;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryCreationTemplate;
import software.amazon.awssdk.services.ecr.model.Tag;
import software.amazon.awssdk.services.ecr.model.TemplateAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.TemplateNotFoundException;

/**
 * The four creation-template operations through the SDK's EcrClient, and a CREATE_ON_PUSH template applied to a
 * /v2 push (the default {@code registry.create-on-push=always}), with its settings visible through the ECR API.
 */
class CreationTemplateIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    /** A key of the server's key service: a template's KMS key must exist, as in ECR, once a push creates from it. */
    static String KMS_KEY;
    static final String ROLE = "arn:aws:iam::" + TestServer.ACCOUNT + ":role/ecr-templates";
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + TestServer.ACCOUNT + ":root\"},"
            + "\"Action\":[\"ecr:BatchGetImage\"]}]}";
    static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}";

    private static EcrClient ecr() { return server.ecr(); }

    @BeforeAll
    static void key() {
        try (software.amazon.awssdk.services.kms.KmsClient kms = KmsRepositoryIT.kms(server)) {
            KMS_KEY = kms.createKey(b -> { }).keyMetadata().arn();
        }
    }

    private static CreateRepositoryCreationTemplateRequest.Builder full(String prefix) {
        return CreateRepositoryCreationTemplateRequest.builder().prefix(prefix).description("for " + prefix)
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS).kmsKey(KMS_KEY))
                .resourceTags(Tag.builder().key("team").value("core").build(),
                        Tag.builder().key("cost").value("ci").build())
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder()
                        .filterType("WILDCARD").filter("latest").build())
                .repositoryPolicy(POLICY).lifecyclePolicy(LIFECYCLE)
                .appliedFor(RCTAppliedFor.CREATE_ON_PUSH, RCTAppliedFor.REPLICATION).customRoleArn(ROLE);
    }

    @Test
    void create_describe_update_delete_roundTripEveryField() {
        RepositoryCreationTemplate created = ecr().createRepositoryCreationTemplate(full("crud/").build())
                .repositoryCreationTemplate();
        assertThat(created.prefix()).as("prefix sent 'crud/' (trailing slash implied)").isEqualTo("crud");
        assertThat(created.encryptionConfiguration().encryptionTypeAsString()).isEqualTo("KMS");
        assertThat(created.encryptionConfiguration().kmsKey()).isEqualTo(KMS_KEY);
        assertThat(created.resourceTags()).extracting(Tag::key).containsExactly("team", "cost");
        assertThat(created.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(created.imageTagMutabilityExclusionFilters()).extracting(ImageTagMutabilityExclusionFilter::filter)
                .containsExactly("latest");
        assertThat(created.repositoryPolicy()).isEqualTo(POLICY);
        assertThat(created.lifecyclePolicy()).isEqualTo(LIFECYCLE);
        assertThat(created.appliedFor()).containsExactlyInAnyOrder(RCTAppliedFor.CREATE_ON_PUSH,
                RCTAppliedFor.REPLICATION);
        assertThat(created.customRoleArn()).isEqualTo(ROLE);
        assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());

        RepositoryCreationTemplate described = ecr().describeRepositoryCreationTemplates(b -> b.prefixes("crud"))
                .repositoryCreationTemplates().get(0);
        assertThat(described).as("DescribeRepositoryCreationTemplates(prefixes=crud) after the create")
                .isEqualTo(created);

        RepositoryCreationTemplate updated = ecr().updateRepositoryCreationTemplate(b -> b.prefix("crud")
                .description("changed").imageTagMutability(ImageTagMutability.MUTABLE)
                .appliedFor(RCTAppliedFor.PULL_THROUGH_CACHE)).repositoryCreationTemplate();
        assertThat(updated.description()).isEqualTo("changed");
        assertThat(updated.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(updated.imageTagMutabilityExclusionFilters()).as("filters after switching to MUTABLE").isEmpty();
        assertThat(updated.appliedFor()).containsExactly(RCTAppliedFor.PULL_THROUGH_CACHE);
        assertThat(updated.encryptionConfiguration().kmsKey()).as("a field the update left out").isEqualTo(KMS_KEY);
        assertThat(updated.repositoryPolicy()).as("policy the update left out").isEqualTo(POLICY);
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());

        RepositoryCreationTemplate deleted = ecr().deleteRepositoryCreationTemplate(b -> b.prefix("crud"))
                .repositoryCreationTemplate();
        assertThat(deleted.description()).as("Delete answers with the deleted template").isEqualTo("changed");
        assertThat(ecr().describeRepositoryCreationTemplates(b -> b.prefixes("crud")).repositoryCreationTemplates())
                .as("described after delete").isEmpty();
    }

    @Test
    void exceptions_asEcrNamesThem() {
        ecr().createRepositoryCreationTemplate(full("dup").build());
        assertThatThrownBy(() -> ecr().createRepositoryCreationTemplate(full("dup/").build()))
                .as("second create of prefix dup (sent as 'dup/')").isInstanceOf(TemplateAlreadyExistsException.class)
                .hasMessageContaining("The repository creation template with prefix 'dup' already exists in the "
                        + "registry with id '" + TestServer.ACCOUNT + "'");
        assertThatThrownBy(() -> ecr().updateRepositoryCreationTemplate(b -> b.prefix("nothing").description("x")))
                .isInstanceOf(TemplateNotFoundException.class)
                .hasMessageContaining("The repository creation template with prefix 'nothing' does not exist");
        assertThatThrownBy(() -> ecr().deleteRepositoryCreationTemplate(b -> b.prefix("nothing")))
                .isInstanceOf(TemplateNotFoundException.class);
    }

    @Test
    void badInput_validationOrInvalidParameter() {
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("Bad_Prefix").build())))
                .as("prefix with upper case").startsWith("ValidationException: 1 validation error detected: "
                        + "Value 'Bad_Prefix' at 'prefix' failed to satisfy constraint: Member must satisfy "
                        + "regular expression pattern");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(b -> b.prefix("noapplied"))))
                .as("no appliedFor").isEqualTo("ValidationException: 1 validation error detected: Value null at "
                        + "'appliedFor' failed to satisfy constraint: Member must not be null");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("alias").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.KMS).kmsKey("alias/aws/ecr")).build())))
                .as("kmsKey given as an alias").startsWith("ValidationException: 1 validation error detected: "
                        + "Value 'alias/aws/ecr' at 'encryptionConfiguration.kmsKey'");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("role")
                .customRoleArn("arn:aws:iam::999999999999:role/x").build())))
                .as("custom role of another account").startsWith("InvalidParameterException: Invalid parameter at "
                        + "'customRoleArn'");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("role2")
                .customRoleArn("arn:aws:iam::" + TestServer.ACCOUNT + ":user/x").build())))
                .as("custom role that is a user").startsWith("ValidationException: 1 validation error detected: "
                        + "Value 'arn:aws:iam::" + TestServer.ACCOUNT + ":user/x' at 'customRoleArn'");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("pol").repositoryPolicy("{").build())))
                .as("repository policy that is not JSON").startsWith("InvalidParameterException");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("lc").lifecyclePolicy("[]").build())))
                .as("lifecycle policy without rules").isEqualTo("InvalidParameterException: Invalid parameter at "
                        + "'lifecyclePolicy' failed to satisfy constraint: 'Lifecycle policy validation failure: "
                        + "Could not map policyString into LifecyclePolicy.'");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("lc2")
                .lifecyclePolicy("{\"rules\":[]," + "x".repeat(30720) + "}").build())))
                .as("lifecycle policy over 30,720 characters").contains("lifecyclePolicy")
                .contains("Member must have length less than or equal to 30720");
        assertThat(Ecr.errorOf(() -> ecr().createRepositoryCreationTemplate(full("mut")
                .imageTagMutability(ImageTagMutability.MUTABLE).build())))
                .as("exclusion filters with MUTABLE").startsWith("InvalidParameterException: Invalid parameter at "
                        + "'imageTagMutabilityExclusionFilters'");
        assertThat(Ecr.errorOf(() -> ecr().describeRepositoryCreationTemplates(b -> b.maxResults(1001))))
                .startsWith("ValidationException: 1 validation error detected: Value '1001' at 'maxResults'");
        assertThat(ecr().describeRepositoryCreationTemplates(b -> b.prefixes("alias", "role", "pol", "lc", "mut"))
                .repositoryCreationTemplates()).as("templates after refused creates").isEmpty();
    }

    @Test
    void describe_paginatesInPrefixOrder_allOrByPrefixes() {
        for (String p : List.of("page/c", "page/a", "page/b")) {
            ecr().createRepositoryCreationTemplate(b -> b.prefix(p).appliedFor(RCTAppliedFor.REPLICATION));
        }
        DescribeRepositoryCreationTemplatesResponse first = ecr().describeRepositoryCreationTemplates(
                b -> b.prefixes("page/c", "page/a", "page/b", "page/none").maxResults(2));
        assertThat(first.repositoryCreationTemplates()).extracting(RepositoryCreationTemplate::prefix)
                .as("first page of 2 of four prefixes, one without a template").containsExactly("page/a", "page/b");
        assertThat(first.nextToken()).isNotNull();
        DescribeRepositoryCreationTemplatesResponse second = ecr().describeRepositoryCreationTemplates(
                b -> b.prefixes("page/c", "page/a", "page/b", "page/none").maxResults(2).nextToken(first.nextToken()));
        assertThat(second.repositoryCreationTemplates()).extracting(RepositoryCreationTemplate::prefix)
                .containsExactly("page/c");
        assertThat(second.nextToken()).isNull();
        List<String> all = ecr().describeRepositoryCreationTemplatesPaginator(b -> b.maxResults(1))
                .repositoryCreationTemplates().stream().map(RepositoryCreationTemplate::prefix).toList();
        assertThat(all).as("every template through the SDK paginator, one per page")
                .containsSubsequence("page/a", "page/b", "page/c").doesNotHaveDuplicates();
    }

    @Test
    void createOnPushTemplate_appliedToV2Push_longestPrefixWins() throws Exception {
        ecr().createRepositoryCreationTemplate(full("apply").build());
        // more specific, but not for CREATE_ON_PUSH: it must not hide the shorter one
        ecr().createRepositoryCreationTemplate(b -> b.prefix("apply/repl").appliedFor(RCTAppliedFor.REPLICATION)
                .imageTagMutability(ImageTagMutability.IMMUTABLE));
        ecr().createRepositoryCreationTemplate(b -> b.prefix("apply/deep").appliedFor(RCTAppliedFor.CREATE_ON_PUSH)
                .imageTagMutability(ImageTagMutability.IMMUTABLE));
        Ecr.push(server, "apply/app", "v1", 11);
        Ecr.push(server, "apply/repl/app", "v1", 12);
        Ecr.push(server, "apply/deep/app", "v1", 13);
        Ecr.push(server, "applyx/app", "v1", 14);

        Repository app = ecr().describeRepositories(b -> b.repositoryNames("apply/app")).repositories().get(0);
        assertThat(app.imageTagMutability()).as("apply/app pushed under template 'apply'")
                .isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(app.imageTagMutabilityExclusionFilters()).extracting(ImageTagMutabilityExclusionFilter::filter)
                .containsExactly("latest");
        assertThat(app.encryptionConfiguration().encryptionTypeAsString()).isEqualTo("KMS");
        assertThat(app.encryptionConfiguration().kmsKey()).isEqualTo(KMS_KEY);
        assertThat(ecr().listTagsForResource(b -> b.resourceArn(app.repositoryArn())).tags())
                .extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("team", "core"),
                        org.assertj.core.groups.Tuple.tuple("cost", "ci"));
        assertThat(ecr().getRepositoryPolicy(b -> b.repositoryName("apply/app")).policyText())
                .as("repository policy of apply/app").isEqualTo(POLICY);

        assertThat(mutability("apply/repl/app")).as("apply/repl/app: the REPLICATION-only template is skipped")
                .isEqualTo(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION);
        assertThat(mutability("apply/deep/app")).as("apply/deep/app: the longer CREATE_ON_PUSH prefix wins")
                .isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(mutability("applyx/app")).as("applyx/app: 'apply' is a namespace, not a string prefix")
                .isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(ecr().listTagsForResource(b -> b.resourceArn(ecr().describeRepositories(d -> d
                .repositoryNames("applyx/app")).repositories().get(0).repositoryArn())).tags())
                .as("tags of a repository created with the defaults").isEmpty();
    }

    private static ImageTagMutability mutability(String repo) {
        return ecr().describeRepositories(b -> b.repositoryNames(repo)).repositories().get(0).imageTagMutability();
    }
}
