package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.server.config.RegistryConfig;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.RCTAppliedFor;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * The three values of {@code registry.create-on-push} against a /v2 push to a missing repository: {@code template}
 * (ECR's: only under a matching CREATE_ON_PUSH template), {@code always} (here by its alias {@code true}: with or
 * without a template) and {@code never} (even under a template).
 */
class CreateOnPushModesIT {
    @RegisterExtension
    static final TestServer template = new TestServer().with(RegistryConfig.CREATE_ON_PUSH, "template");
    @RegisterExtension
    static final TestServer always = new TestServer().with(RegistryConfig.CREATE_ON_PUSH, "true");
    @RegisterExtension
    static final TestServer never = new TestServer().with(RegistryConfig.CREATE_ON_PUSH, "never");

    private static HttpResponse<byte[]> pushManifest(TestServer server, String repo) throws Exception {
        Digest d = Digest.sha256Of(repo.getBytes());
        return server.putManifest(repo, "v1", MediaTypes.OCI_MANIFEST, Fixtures.ociManifest(d, 1, d, 1));
    }

    private static boolean exists(TestServer server, String repo) {
        try {
            server.ecr().describeRepositories(b -> b.repositoryNames(repo));
            return true;
        } catch (RepositoryNotFoundException e) {
            return false;
        }
    }

    private static void createOnPushTemplate(TestServer server, String prefix, RCTAppliedFor use) {
        server.ecr().createRepositoryCreationTemplate(b -> b.prefix(prefix).appliedFor(use)
                .imageTagMutability(ImageTagMutability.IMMUTABLE));
    }

    @Test
    void template_createsOnlyUnderACreateOnPushTemplate() throws Exception {
        HttpResponse<byte[]> untemplated = template.send("POST", "/v2/bare/app/blobs/uploads/", null);
        assertThat(untemplated.statusCode()).as("upload start to bare/app, no template: %s",
                TestServer.describe(untemplated)).isEqualTo(404);
        assertThat(TestServer.text(untemplated)).contains("NAME_UNKNOWN");
        assertThat(pushManifest(template, "bare/app").statusCode()).as("manifest PUT to bare/app").isEqualTo(404);

        createOnPushTemplate(template, "repl", RCTAppliedFor.REPLICATION);
        assertThat(template.send("POST", "/v2/repl/app/blobs/uploads/", null).statusCode())
                .as("push under a REPLICATION-only template").isEqualTo(404);

        createOnPushTemplate(template, "auto", RCTAppliedFor.CREATE_ON_PUSH);
        Ecr.push(template, "auto/app", "v1", 21);
        assertThat(template.ecr().describeRepositories(b -> b.repositoryNames("auto/app")).repositories().get(0)
                .imageTagMutability()).as("auto/app created under template 'auto'")
                .isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(exists(template, "bare/app")).isFalse();
        assertThat(exists(template, "repl/app")).isFalse();
    }

    @Test
    void always_createsWithTheTemplateOrTheDefaults() throws Exception {
        Ecr.push(always, "free/app", "v1", 22);
        assertThat(always.ecr().describeRepositories(b -> b.repositoryNames("free/app")).repositories().get(0)
                .imageTagMutability()).as("free/app created with the defaults").isEqualTo(ImageTagMutability.MUTABLE);
        createOnPushTemplate(always, "ROOT", RCTAppliedFor.CREATE_ON_PUSH);
        Ecr.push(always, "rooted/app", "v1", 23);
        assertThat(always.ecr().describeRepositories(b -> b.repositoryNames("rooted/app")).repositories().get(0)
                .imageTagMutability()).as("rooted/app created under the ROOT template")
                .isEqualTo(ImageTagMutability.IMMUTABLE);
    }

    @Test
    void never_refusesEvenUnderATemplate() throws Exception {
        createOnPushTemplate(never, "ROOT", RCTAppliedFor.CREATE_ON_PUSH);
        HttpResponse<byte[]> start = never.send("POST", "/v2/closed/app/blobs/uploads/", null);
        assertThat(start.statusCode()).as("upload start to closed/app: %s", TestServer.describe(start))
                .isEqualTo(404);
        assertThat(pushManifest(never, "closed/app").statusCode()).isEqualTo(404);
        assertThat(exists(never, "closed/app")).isFalse();
    }
}
