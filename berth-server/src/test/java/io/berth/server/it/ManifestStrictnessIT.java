package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * Issue #7 item 14: a manifest is exactly one JSON object, as CNCF distribution and Go clients read it. Trailing
 * data, a second document, a byte order mark or a trailing NUL are MANIFEST_INVALID on {@code /v2/} and
 * InvalidParameterException on PutImage; so are layer sizes that overflow a long when summed.
 */
class ManifestStrictnessIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    static Ecr.Pushed image;

    @BeforeAll
    static void blobs() throws Exception {
        image = Ecr.blobs(server, "strict/app", 14);
    }

    /** Each malformed body, by what was done to the valid manifest. */
    static Map<String, byte[]> malformed() {
        String m = image.manifest();
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("trailing xx", (m + "xx").getBytes(StandardCharsets.UTF_8));
        out.put("two documents", (m + m).getBytes(StandardCharsets.UTF_8));
        out.put("UTF-8 BOM", ("\uFEFF" + m).getBytes(StandardCharsets.UTF_8));
        out.put("trailing NUL", (m + "\u0000").getBytes(StandardCharsets.UTF_8));
        String huge = "\"size\":" + Long.MAX_VALUE;
        String layer = Fixtures.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", image.layer(), 1)
                .replace("\"size\":1", huge);
        out.put("two layers of 2^63-1", m.replaceFirst("\"layers\":\\[.*\\]", "\"layers\":[" + layer + ","
                + layer + "]").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void putManifest_trailingDataBomNulOrSizeOverflow_manifestInvalidOnBothPlanes() throws Exception {
        EcrClient ecr = server.ecr();
        for (Map.Entry<String, byte[]> e : malformed().entrySet()) {
            HttpResponse<byte[]> r = server.send("PUT", "/v2/strict/app/manifests/bad", e.getValue(),
                    "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.statusCode()).as("PUT manifest with %s: %s", e.getKey(), TestServer.describe(r))
                    .isEqualTo(400);
            assertThat(TestServer.text(r)).as("code for %s", e.getKey()).contains("\"MANIFEST_INVALID\"");
            String text = new String(e.getValue(), StandardCharsets.UTF_8);
            assertThatThrownBy(() -> ecr.putImage(q -> q.repositoryName("strict/app").imageTag("bad")
                    .imageManifestMediaType(MediaTypes.OCI_MANIFEST).imageManifest(text)))
                    .as("PutImage with %s", e.getKey()).isInstanceOfSatisfying(EcrException.class, x ->
                            assertThat(x.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException"));
        }
        assertThat(server.get("/v2/strict/app/manifests/bad", "Accept", MediaTypes.OCI_MANIFEST).statusCode())
                .as("nothing was stored under the tag").isEqualTo(404);
    }

    @Test
    void putManifest_trailingWhitespace_accepted() throws Exception {
        HttpResponse<byte[]> r = server.send("PUT", "/v2/strict/app/manifests/ws", (image.manifest() + " \r\n\t")
                .getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.statusCode()).as("JSON allows whitespace after the object: %s", TestServer.describe(r))
                .isEqualTo(201);
    }
}
