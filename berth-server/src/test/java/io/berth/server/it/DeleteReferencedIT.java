package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/**
 * Issue #7 item 7: {@code /v2/} deletes that would leave an image that cannot be pulled are refused with 405 DENIED
 * (zot's answer; the spec has no "referenced" code), by the same core guard as ECR's BatchDeleteImage.
 */
class DeleteReferencedIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static int status(String method, String path) throws Exception {
        return server.send(method, path, null).statusCode();
    }

    /** Index, child manifest and both blobs all still pull. */
    private static void assertPullsFully(String repo, Ecr.Pushed child) throws Exception {
        HttpResponse<byte[]> index = server.get("/v2/" + repo + "/manifests/multi", "Accept", MediaTypes.OCI_INDEX);
        assertThat(index.statusCode()).as("the index: %s", TestServer.describe(index)).isEqualTo(200);
        assertThat(TestServer.text(index)).contains(child.digest().toString());
        assertThat(server.get("/v2/" + repo + "/manifests/" + child.digest(), "Accept", MediaTypes.OCI_MANIFEST)
                .statusCode()).as("the child the index lists").isEqualTo(200);
        for (Digest blob : new Digest[] {child.config(), child.layer()}) {
            assertThat(server.get("/v2/" + repo + "/blobs/" + blob).statusCode()).as("blob %s", blob).isEqualTo(200);
        }
    }

    private static Ecr.Pushed pushIndexOverChild(String repo) throws Exception {
        Ecr.Pushed child = Ecr.push(server, repo, "child", 7);
        HttpResponse<byte[]> r = server.putManifest(repo, "multi", MediaTypes.OCI_INDEX, Fixtures.index(
                MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child.digest(),
                child.manifest().getBytes(StandardCharsets.UTF_8).length));
        assertThat(r.statusCode()).as("index push: %s", TestServer.describe(r)).isEqualTo(201);
        return child;
    }

    @Test
    void deleteChildOfIndex_refused405Denied_indexStillPullsFully() throws Exception {
        Ecr.Pushed child = pushIndexOverChild("del/child");
        HttpResponse<byte[]> r = server.send("DELETE", "/v2/del/child/manifests/" + child.digest(), null);
        assertThat(r.statusCode()).as("DELETE of a manifest the index lists: %s", TestServer.describe(r))
                .isEqualTo(405);
        assertThat(TestServer.text(r)).contains("\"DENIED\"").contains("referenced by manifest list");
        assertPullsFully("del/child", child);
        EcrClient ecr = server.ecr();
        BatchDeleteImageResponse ecrDelete = ecr.batchDeleteImage(q -> q.repositoryName("del/child")
                .imageIds(ImageIdentifier.builder().imageDigest(child.digest().toString()).build()));
        assertThat(ecrDelete.failures()).as("the ECR plane, same guard").singleElement().satisfies(f ->
                assertThat(f.failureCodeAsString()).isEqualTo("ImageReferencedByManifestList"));
        assertPullsFully("del/child", child);
    }

    @Test
    void deleteLayerOfManifest_refused405Denied_manifestStillPullsFully() throws Exception {
        Ecr.Pushed child = pushIndexOverChild("del/layer");
        for (Digest blob : new Digest[] {child.layer(), child.config()}) {
            HttpResponse<byte[]> r = server.send("DELETE", "/v2/del/layer/blobs/" + blob, null);
            assertThat(r.statusCode()).as("DELETE of a blob a manifest uses: %s", TestServer.describe(r))
                    .isEqualTo(405);
            assertThat(TestServer.text(r)).contains("\"DENIED\"").contains("referenced by a manifest");
        }
        assertPullsFully("del/layer", child);
    }

    @Test
    void deleteUnreferencedManifestAndBlob_stillAccepted() throws Exception {
        Digest loose = server.pushBlob("del/free", "no manifest uses me".getBytes(StandardCharsets.UTF_8));
        assertThat(status("DELETE", "/v2/del/free/blobs/" + loose)).as("a blob no manifest uses").isEqualTo(202);
        assertThat(status("GET", "/v2/del/free/blobs/" + loose)).isEqualTo(404);

        Ecr.Pushed child = pushIndexOverChild("del/free");
        HttpResponse<byte[]> index = server.get("/v2/del/free/manifests/multi", "Accept", MediaTypes.OCI_INDEX);
        Digest indexDigest = Digest.sha256Of(index.body());
        assertThat(status("DELETE", "/v2/del/free/manifests/" + indexDigest)).as("the index itself").isEqualTo(202);
        assertThat(status("DELETE", "/v2/del/free/manifests/" + child.digest()))
                .as("the child once no index lists it").isEqualTo(202);
        assertThat(status("DELETE", "/v2/del/free/blobs/" + child.layer()))
                .as("the layer once no manifest uses it").isEqualTo(202);
    }
}
