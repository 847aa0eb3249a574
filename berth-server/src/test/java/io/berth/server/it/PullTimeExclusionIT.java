package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.MediaTypes;
import io.berth.core.model.RegistryId;
import io.berth.server.auth.Identities;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ExclusionAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ExclusionNotFoundException;
import software.amazon.awssdk.services.ecr.model.ListPullTimeUpdateExclusionsResponse;
import software.amazon.awssdk.services.ecr.model.RegisterPullTimeUpdateExclusionResponse;

/**
 * Pull-time update exclusions through the SDK's EcrClient, and honoured: a pull (/v2 manifest GET or BatchGetImage)
 * by an excluded user leaves {@code lastRecordedPullTime} unchanged, one by another user sets it. BatchGetImage and
 * GetDownloadUrlForLayer count as pulls of the repository.
 */
class PullTimeExclusionIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final String SCANNER = "arn:aws:iam::" + TestServer.ACCOUNT + ":user/scanner";
    static String scannerBasic;
    static String devBasic;
    static EcrClient scannerEcr;

    @BeforeAll
    static void users() {
        Identities ids = server.app().stores().identities();
        for (String user : List.of("scanner", "dev")) {
            ids.createUser(A, user);
            server.app().stores().policies().putUserPolicy(A, user, "all", "{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}");
        }
        Identities.NewKey s = ids.createAccessKey(A, "scanner");
        scannerBasic = TestServer.basic(s.accessKeyId(), s.secret());
        scannerEcr = Ecr.client(server, s.accessKeyId(), s.secret());
        Identities.NewKey d = ids.createAccessKey(A, "dev");
        devBasic = TestServer.basic(d.accessKeyId(), d.secret());
    }

    @Test
    void register_list_deregister_withEcrsExceptions() {
        EcrClient ecr = server.ecr();
        String arn = "arn:aws:iam::111122223333:role/replicator";
        RegisterPullTimeUpdateExclusionResponse r = ecr.registerPullTimeUpdateExclusion(b -> b.principalArn(arn));
        assertThat(r.principalArn()).isEqualTo(arn);
        assertThat(r.createdAt()).as("createdAt of the registration").isBetween(Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(5));
        assertThatThrownBy(() -> ecr.registerPullTimeUpdateExclusion(b -> b.principalArn(arn)))
                .as("second register of %s", arn).isInstanceOf(ExclusionAlreadyExistsException.class)
                .hasMessageContaining(arn);
        assertThat(ecr.listPullTimeUpdateExclusions(b -> { }).pullTimeUpdateExclusions()).contains(arn);
        assertThat(ecr.deregisterPullTimeUpdateExclusion(b -> b.principalArn(arn)).principalArn()).isEqualTo(arn);
        assertThatThrownBy(() -> ecr.deregisterPullTimeUpdateExclusion(b -> b.principalArn(arn)))
                .as("second deregister").isInstanceOf(ExclusionNotFoundException.class).hasMessageContaining(arn);
        assertThat(ecr.listPullTimeUpdateExclusions(b -> { }).pullTimeUpdateExclusions()).doesNotContain(arn);
    }

    @Test
    void principalArn_validated() {
        assertThat(Ecr.errorOf(() -> server.ecr().registerPullTimeUpdateExclusion(b -> b.principalArn("scanner"))))
                .as("a bare name").startsWith("ValidationException: 1 validation error detected: Value 'scanner' "
                        + "at 'principalArn' failed to satisfy constraint: Member must satisfy regular expression");
        String longArn = "arn:aws:iam::111122223333:user/" + "u".repeat(200);
        assertThat(Ecr.errorOf(() -> server.ecr().registerPullTimeUpdateExclusion(b -> b.principalArn(longArn))))
                .as("an ARN of 231 characters").contains("Member must have length less than or equal to 200");
        assertThat(Ecr.errorOf(() -> server.ecr().deregisterPullTimeUpdateExclusion(b -> b.principalArn(null))))
                .isEqualTo("ValidationException: 1 validation error detected: Value null at 'principalArn' failed "
                        + "to satisfy constraint: Member must not be null");
        assertThat(Ecr.errorOf(() -> server.ecr().listPullTimeUpdateExclusions(b -> b.maxResults(0))))
                .startsWith("ValidationException: 1 validation error detected: Value '0' at 'maxResults'");
    }

    @Test
    void list_paginates() {
        for (String u : List.of("p3", "p1", "p2")) {
            server.ecr().registerPullTimeUpdateExclusion(b -> b.principalArn("arn:aws:iam::222233334444:user/" + u));
        }
        ListPullTimeUpdateExclusionsResponse first = server.ecr().listPullTimeUpdateExclusions(b -> b.maxResults(1));
        assertThat(first.pullTimeUpdateExclusions()).hasSize(1);
        assertThat(first.nextToken()).as("token after a page of 1").isNotNull();
        List<String> all = new java.util.ArrayList<>(first.pullTimeUpdateExclusions());
        String token = first.nextToken();
        while (token != null) {
            String t = token;
            ListPullTimeUpdateExclusionsResponse page = server.ecr().listPullTimeUpdateExclusions(
                    b -> b.maxResults(1).nextToken(t));
            all.addAll(page.pullTimeUpdateExclusions());
            token = page.nextToken();
        }
        assertThat(all).as("every exclusion, one per page, in ARN order").containsSubsequence(
                "arn:aws:iam::222233334444:user/p1", "arn:aws:iam::222233334444:user/p2",
                "arn:aws:iam::222233334444:user/p3").doesNotHaveDuplicates();
    }

    @Test
    void excludedPull_leavesLastRecordedPullTime_otherPullSetsIt() throws Exception {
        server.ecr().registerPullTimeUpdateExclusion(b -> b.principalArn(SCANNER));
        Ecr.Pushed scanned = Ecr.push(server, "excl/app", "scanned", 31);
        Ecr.Pushed used = Ecr.push(server, "excl/app", "used", 32);
        HttpResponse<byte[]> get = server.send(server.anonymous("/v2/excl/app/manifests/scanned")
                .header("Authorization", scannerBasic).header("Accept", MediaTypes.OCI_MANIFEST));
        assertThat(get.statusCode()).as("scanner's /v2 GET: %s", TestServer.describe(get)).isEqualTo(200);
        assertThat(scannerEcr.batchGetImage(b -> b.repositoryName("excl/app")
                .imageIds(i -> i.imageTag("scanned"))).images()).as("scanner's BatchGetImage").hasSize(1);
        HttpResponse<byte[]> devGet = server.send(server.anonymous("/v2/excl/app/manifests/used")
                .header("Authorization", devBasic).header("Accept", MediaTypes.OCI_MANIFEST));
        assertThat(devGet.statusCode()).isEqualTo(200);

        // pull times are written by one background thread in order: once dev's is there, any of scanner's would be
        Instant devPull = null;
        for (int i = 0; i < 100 && devPull == null; i++) {
            devPull = pullTime(used.digest().toString());
            if (devPull == null) {
                Thread.sleep(50);
            }
        }
        assertThat(devPull).as("lastRecordedPullTime of 'used' after dev's pull").isNotNull();
        assertThat(pullTime(scanned.digest().toString()))
                .as("lastRecordedPullTime of 'scanned', pulled only by the excluded scanner").isNull();

        long before = server.app().stores().pulls().count(TestServer.ACCOUNT, "excl/app");
        server.ecr().batchGetImage(b -> b.repositoryName("excl/app").imageIds(i -> i.imageTag("used")));
        server.ecr().getDownloadUrlForLayer(b -> b.repositoryName("excl/app").layerDigest(used.layer().toString()));
        assertThat(server.app().stores().pulls().count(TestServer.ACCOUNT, "excl/app"))
                .as("pull count after one BatchGetImage and one GetDownloadUrlForLayer").isEqualTo(before + 2);
    }

    private static Instant pullTime(String digest) {
        return server.ecr().describeImages(b -> b.repositoryName("excl/app").imageIds(i -> i.imageDigest(digest)))
                .imageDetails().get(0).lastRecordedPullTime();
    }
}
