package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.MediaTypes;
import io.berth.server.config.RegistryConfig;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code registry.create-on-push=false}: ECR's behaviour, an OCI push to a repository that does not exist is
 * NAME_UNKNOWN; after CreateRepository it works. (The default, true, is what every other IT runs with.)
 */
class CreateOnPushIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer().with(RegistryConfig.CREATE_ON_PUSH, "false");

    @Test
    void pushToMissingRepository_nameUnknown_untilCreated() throws Exception {
        HttpResponse<byte[]> start = SERVER.send("POST", "/v2/strict/app/blobs/uploads/", null);
        assertThat(start.statusCode()).isEqualTo(404);
        assertThat(TestServer.text(start)).contains("NAME_UNKNOWN")
                .contains("The repository with name 'strict/app' does not exist");
        HttpResponse<byte[]> manifest = SERVER.putManifest("strict/app", "v1", MediaTypes.OCI_MANIFEST,
                Fixtures.ociManifest(io.berth.core.model.Digest.sha256Of(new byte[] {1}), 1,
                        io.berth.core.model.Digest.sha256Of(new byte[] {2}), 1));
        assertThat(manifest.statusCode()).isEqualTo(404);
        SERVER.ecr().createRepository(b -> b.repositoryName("strict/app"));
        Ecr.push(SERVER, "strict/app", "v1", 1);
        assertThat(SERVER.get("/v2/strict/app/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
    }
}
