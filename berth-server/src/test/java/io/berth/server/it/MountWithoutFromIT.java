package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.server.access.Policies;
import io.berth.server.auth.Identities;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>} without {@code from}, with authentication on: the blob is
 * mounted (201) when the caller may pull it from some repository of the addressed account, and otherwise the answer
 * is an ordinary upload session (202), whether or not the blob exists where the caller may not read. The OCI
 * conformance suite's "cross-repository mount without from" checks exactly this.
 */
class MountWithoutFromIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static final RegistryId A = new RegistryId(TestServer.ACCOUNT);
    static final RegistryId B = new RegistryId("222233334444");
    static String carol;

    /**
     * carol may push to {@code auto/target} and pull from {@code auto/readable} only, and is explicitly denied pulls
     * from {@code auto/denied} even though another statement allows every repository's pushes.
     */
    @BeforeAll
    static void identities() {
        Identities ids = server.app().stores().identities();
        ids.createUser(A, "carol");
        Identities.NewKey key = ids.createAccessKey(A, "carol");
        carol = TestServer.basic(key.accessKeyId(), key.secret());
        String arn = "arn:aws:ecr:us-east-1:" + A + ":repository/";
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"" + arn + "auto/target\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],"
                + "\"Resource\":[\"" + arn + "auto/readable\",\"" + arn + "auto/denied\"]},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecr:GetDownloadUrlForLayer\",\"Resource\":\"" + arn
                + "auto/denied\"}]}";
        Policies policies = server.app().stores().policies();
        policies.createPolicy(A, "auto-mount", doc);
        policies.attachUserPolicy(A, "carol", "arn:aws:iam::" + A + ":policy/auto-mount");
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static HttpResponse<byte[]> mount(String authorization, String target, Digest d) throws Exception {
        return server.send(server.anonymous("/v2/" + target + "/blobs/uploads/?mount=" + d)
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization));
    }

    private static void assertMounted(HttpResponse<byte[]> r, String target, Digest d, byte[] content)
            throws Exception {
        assertThat(r.statusCode()).as("mounted: %s", describe(r)).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).as("the blob's location")
                .contains("/v2/" + target + "/blobs/" + d);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(server.get("/v2/" + target + "/blobs/" + d).body()).as("served from the target").isEqualTo(content);
    }

    private static void assertUploadSession(HttpResponse<byte[]> r, String target) {
        assertThat(r.statusCode()).as("an upload session, not a mount: %s", describe(r)).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(v ->
                assertThat(v).startsWith("/v2/" + target + "/blobs/uploads/"));
    }

    @Test
    void root_mountsFromAnotherRepository_andFromTheTargetItself() throws Exception {
        byte[] content = random(3000, 1);
        Digest d = server.pushBlob("auto/root-source", content);
        assertMounted(mount(server.basicAuth(), "auto/root-target", d), "auto/root-target", d, content);
        // already there: the conformance test pushes the blob first and mounts it into the same repository
        assertMounted(mount(server.basicAuth(), "auto/root-source", d), "auto/root-source", d, content);
    }

    @Test
    void blobOnlyInOtherAccount_isNotMounted() throws Exception {
        byte[] content = random(2000, 2);
        Digest d = Digest.sha256Of(content);
        server.app().stores().identities().ensureAccount(B);
        server.app().stores().services().forRegistry(B).uploadMonolithic(RepositoryName.of("auto/theirs"), d,
                new ByteArrayInputStream(content), content.length);
        assertUploadSession(mount(server.basicAuth(), "auto/mine", d), "auto/mine");
    }

    @Test
    void user_mountsFromTheRepositoryItMayPull() throws Exception {
        byte[] content = random(2500, 3);
        Digest d = server.pushBlob("auto/readable", content);
        server.pushBlob("auto/a-private", content); // earlier in name order, and not readable: skipped
        assertMounted(mount(carol, "auto/target", d), "auto/target", d, content);
    }

    @Test
    void user_blobOnlyWhereItMayNotPull_getsAnUploadSession() throws Exception {
        byte[] content = random(1500, 4);
        Digest d = server.pushBlob("auto/private", content);
        server.pushBlob("auto/denied", content);
        HttpResponse<byte[]> r = mount(carol, "auto/target", d);
        assertUploadSession(r, "auto/target");
        assertThat(server.head("/v2/auto/target/blobs/" + d).statusCode()).as("nothing linked into the target")
                .isEqualTo(404);

        // the same answer as for a blob that exists nowhere: nothing tells the two apart
        Digest absent = Digest.sha256Of(random(10, 5));
        HttpResponse<byte[]> none = mount(carol, "auto/target", absent);
        assertUploadSession(none, "auto/target");
        assertThat(none.headers().map().keySet()).isEqualTo(r.headers().map().keySet());

        // and the session works as any other: the caller uploads the bytes itself
        String loc = r.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = server.send(server.anonymous(loc + (loc.contains("?") ? "&" : "?") + "digest=" + d)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).header("Authorization", carol));
        assertThat(put.statusCode()).as("upload completed: %s", describe(put)).isEqualTo(201);
    }
}
