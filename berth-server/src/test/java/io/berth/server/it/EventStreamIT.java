package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.MediaTypes;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;

/**
 * Issue 9 §1: every observable change through /v2 and the ECR API is exactly one event of the stream, in order per
 * repository, naming who acted; a change that is refused after it was written (an immutable tag) leaves no event.
 */
class EventStreamIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final String ROOT_ARN = "arn:aws:iam::" + TestServer.ACCOUNT + ":root";

    private static List<RegistryEvent> events(String repository) {
        return server.app().stores().metadata().read(tx -> tx.events().list(
                new EventStore.Filter(repository, null, 0, 1000)));
    }

    private static String line(RegistryEvent e) {
        return e.sequence() + " " + e.type() + " " + (e.digest() == null ? "-" : e.digest()) + " " + e.tags() + " "
                + (e.reason() == null ? "-" : e.reason()) + (e.detail() == null ? "" : " " + e.detail());
    }

    @Test
    void pushRetagDeleteAndRepositoryChanges_overBothApis_areExactlyTheExpectedEvents_inOrder() throws Exception {
        EcrClient ecr = server.ecr();
        String repo = "ev/app";
        ecr.createRepository(b -> b.repositoryName(repo));
        Ecr.Pushed a = Ecr.push(server, repo, "v1", 1);                                     // /v2 push
        server.putManifest(repo, "stable", MediaTypes.OCI_MANIFEST, a.manifest());          // /v2 retag
        Ecr.Pushed b = Ecr.blobs(server, repo, 2);
        ecr.putImage(r -> r.repositoryName(repo).imageManifest(b.manifest()).imageTag("v1")); // ECR push moving v1
        ecr.batchDeleteImage(r -> r.repositoryName(repo)
                .imageIds(ImageIdentifier.builder().imageTag("stable").build()));          // A's last tag
        var deleted = server.send("DELETE", "/v2/" + repo + "/manifests/" + b.digest(), null);
        assertThat(deleted.statusCode()).as("DELETE of B by digest: %s", TestServer.describe(deleted)).isEqualTo(202);
        ecr.putImageTagMutability(r -> r.repositoryName(repo).imageTagMutability("IMMUTABLE"));
        Ecr.Pushed c = Ecr.blobs(server, repo, 3);
        ecr.putImage(r -> r.repositoryName(repo).imageManifest(c.manifest()).imageTag("pinned"));
        Ecr.Pushed d = Ecr.blobs(server, repo, 4);
        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName(repo).imageManifest(d.manifest())
                .imageTag("pinned"))).as("PutImage of D over immutable tag pinned")
                .isInstanceOf(ImageTagAlreadyExistsException.class);
        ecr.deleteRepository(r -> r.repositoryName(repo).force(true));

        List<RegistryEvent> events = events(repo);
        assertThat(events).extracting(EventStreamIT::line).as("events of %s after the calls above", repo)
                .containsExactly(
                        "1 REPOSITORY_CREATED - [] -",
                        "2 IMAGE_PUSHED " + a.digest() + " [v1] -",
                        "3 TAG_CHANGED " + a.digest() + " [stable] -",
                        "4 IMAGE_PUSHED " + b.digest() + " [v1] -",
                        "5 TAG_CHANGED " + b.digest() + " [v1] - moved from " + a.digest(),
                        "6 IMAGE_DELETED " + a.digest() + " [stable] USER",
                        "7 IMAGE_DELETED " + b.digest() + " [v1] USER",
                        "8 SETTING_CHANGED - [] TAG_MUTABILITY IMMUTABLE",
                        "9 IMAGE_PUSHED " + c.digest() + " [pinned] -",
                        "10 REPOSITORY_DELETED - [] -");
        assertThat(events).extracting(RegistryEvent::principal).as("who acted: the root key on both APIs")
                .containsOnly(ROOT_ARN);
        assertThat(events).extracting(RegistryEvent::account, RegistryEvent::region).as("account and region")
                .containsOnly(org.assertj.core.groups.Tuple.tuple(TestServer.ACCOUNT, "us-east-1"));
        assertThat(events).extracting(RegistryEvent::position).as("stream positions grow").isSorted();
    }

    @Test
    void createOnPush_isARepositoryCreatedEvent_beforeThePush_andUntagKeepsTheImage() throws Exception {
        String repo = "ev/onpush";
        Ecr.Pushed p = Ecr.push(server, repo, "v1", 5);
        server.putManifest(repo, "v2", MediaTypes.OCI_MANIFEST, p.manifest());
        var untag = server.send("DELETE", "/v2/" + repo + "/manifests/v2", null);
        assertThat(untag.statusCode()).as("DELETE of tag v2: %s", TestServer.describe(untag)).isEqualTo(202);
        assertThat(events(repo)).extracting(EventStreamIT::line).as("events of %s, created by its first push", repo)
                .containsExactly(
                        "1 REPOSITORY_CREATED - [] -",
                        "2 IMAGE_PUSHED " + p.digest() + " [v1] -",
                        "3 TAG_CHANGED " + p.digest() + " [v2] -",
                        "4 TAG_REMOVED " + p.digest() + " [v2] -");
    }

    @Test
    void repositoryPolicy_andResourceTags_areSettingEvents() {
        EcrClient ecr = server.ecr();
        String repo = "ev/settings";
        ecr.createRepository(b -> b.repositoryName(repo));
        ecr.setRepositoryPolicy(b -> b.repositoryName(repo).policyText("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"}]}"));
        ecr.deleteRepositoryPolicy(b -> b.repositoryName(repo));
        String arn = ecr.describeRepositories(b -> b.repositoryNames(repo)).repositories().get(0).repositoryArn();
        ecr.tagResource(b -> b.resourceArn(arn).tags(software.amazon.awssdk.services.ecr.model.Tag.builder()
                .key("team").value("a").build()));
        ecr.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertThat(events(repo)).extracting(EventStreamIT::line).as("events of %s", repo).containsExactly(
                "1 REPOSITORY_CREATED - [] -",
                "2 SETTING_CHANGED - [] REPOSITORY_POLICY set",
                "3 SETTING_CHANGED - [] REPOSITORY_POLICY deleted",
                "4 SETTING_CHANGED - [] RESOURCE_TAGS set team",
                "5 SETTING_CHANGED - [] RESOURCE_TAGS removed team");
    }

    @Test
    void adminEvents_listsTheStream_filteredByRepository() throws Exception {
        Ecr.push(server, "ev/cli", "v1", 6);
        String out = server.admin("events", "--repository", "ev/cli");
        assertThat(out.lines().toList()).as("berth admin events --repository ev/cli printed:%n%s", out).hasSize(3);
        assertThat(out).contains("REPOSITORY_CREATED").contains("IMAGE_PUSHED").contains(ROOT_ARN)
                .doesNotContain("ev/app");
        assertThat(server.admin("events", "--repository", "ev/cli", "--since", "2000-01-01T00:00:00Z", "--limit",
                "1")).as("one event, and the hint for the next page").contains("(more events: --after ");
    }

    @Test
    void adminEvents_escapesControlCharacters_inWhatCallersChose() {
        server.app().stores().metadata().write(tx -> tx.events().append(List.of(RegistryEvent.unsequenced(
                RegistryEvent.Type.SETTING_CHANGED, TestServer.ACCOUNT, "us-east-1", "ev/escape", null, List.of(),
                "anonymous", "TAG_MUTABILITY", "IMMUTABLE \u001b[2Jrelease-*\r\nforged line",
                java.time.Instant.now()))));
        String out = server.admin("events", "--repository", "ev/escape");
        assertThat(out).as("an event whose detail holds ESC[2J and CR LF, as printed").contains("\\x1b[2J")
                .contains("\\x0d\\x0a").doesNotContain("\u001b");
        assertThat(out.lines().count()).as("header and one event line, no forged line").isEqualTo(2);
    }
}
