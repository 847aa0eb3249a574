package io.berth.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestParameters_putImage_keepsNamesAndSizeNotManifest() {
        String manifest = "{\\\"schemaVersion\\\":2}";
        String out = Redaction.requestParameters(json("{\"repositoryName\":\"app\",\"imageTag\":\"v1\","
                + "\"imageDigest\":\"sha256:ab\",\"imageManifestMediaType\":\"x\",\"imageManifest\":\"" + manifest
                + "\"}"));
        assertThat(out).isEqualTo("{\"repositoryName\":\"app\",\"imageTag\":\"v1\",\"imageDigest\":\"sha256:ab\","
                + "\"imageManifestMediaType\":\"x\",\"imageManifestSize\":19}");
    }

    @Test
    void requestParameters_uploadLayerPart_dropsBlobKeepsRange() {
        char[] blob = new char[1 << 20];
        Arrays.fill(blob, 'A');
        String out = Redaction.requestParameters(json("{\"uploadId\":\"u1\",\"partFirstByte\":0,"
                + "\"partLastByte\":1048575,\"layerPartBlob\":\"" + new String(blob) + "\"}"));
        assertThat(out).isEqualTo("{\"uploadId\":\"u1\",\"partFirstByte\":0,\"partLastByte\":1048575}");
    }

    @Test
    void requestParameters_secretsRedactedAtAnyDepth() {
        String out = Redaction.requestParameters(json("{\"password\":\"p\",\"nested\":{\"SecretAccessKey\":\"s\","
                + "\"list\":[{\"authorizationToken\":\"t\",\"keep\":1}]},\"Authorization\":\"AWS4 x\","
                + "\"authorizationData\":{\"proxyEndpoint\":\"e\"}}"));
        assertThat(out).isEqualTo("{\"password\":\"***\",\"nested\":{\"SecretAccessKey\":\"***\",\"list\":"
                + "[{\"authorizationToken\":\"***\",\"keep\":1}]},\"Authorization\":\"***\","
                + "\"authorizationData\":{\"proxyEndpoint\":\"e\"}}");
    }

    @Test
    void requestParameters_notAJsonObject_null() {
        assertThat(Redaction.requestParameters(json("not json"))).isNull();
        assertThat(Redaction.requestParameters(json("[1]"))).isNull();
        assertThat(Redaction.requestParameters(new byte[0])).isNull();
    }

    @Test
    void requestSummary_largeRequest_cappedMarkerWithIdentifyingScalars() {
        String huge = "x".repeat(8 * 1024 * 1024);
        Redaction.RequestSummary out = Redaction.requestSummary(json("{\"registryId\":\"000000000000\","
                + "\"repositoryName\":\"" + huge + "\",\"maxResults\":5,\"nested\":{\"a\":\"" + huge + "\"}}"));
        assertThat(out.parameters()).as("8 MiB strings are not recorded, only a marker")
                .startsWith("{\"truncated\":true,\"chars\":")
                .contains("\"registryId\":\"000000000000\"").contains("\"maxResults\":5")
                .doesNotContain("xxxx");
        assertThat(out.parameters().length()).isLessThanOrEqualTo(Redaction.MAX_REQUEST_CHARS);
        assertThat(out.string("repositoryName")).as("an 8 MiB name is not an identifying scalar").isNull();
        assertThat(out.string("registryId")).isEqualTo("000000000000");
    }

    @Test
    void requestSummary_smallRequest_keptWhole() {
        Redaction.RequestSummary out = Redaction.requestSummary(json("{\"repositoryName\":\"app\",\"n\":null}"));
        assertThat(out.parameters()).isEqualTo("{\"repositoryName\":\"app\",\"n\":null}");
        assertThat(out.string("repositoryName")).isEqualTo("app");
        assertThat(Redaction.requestSummary(json("{\"a\":1} trailing")).parameters()).isNull();
    }

    @Test
    void responseElements_manifestsReducedAndLargeResponsesTruncated() {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("imageManifest", "{\"a\":1}");
        image.put("imageId", Map.of("imageDigest", "sha256:ab"));
        assertThat(Redaction.responseElements(Map.of("image", image)))
                .isEqualTo("{\"image\":{\"imageManifestSize\":7,\"imageId\":{\"imageDigest\":\"sha256:ab\"}}}");
        assertThat(Redaction.responseElements(Map.of("items", List.of("x".repeat(Redaction.MAX_RESPONSE_CHARS)))))
                .startsWith("{\"truncated\":true");
        assertThat(Redaction.responseElements(Map.of())).isNull();
    }

    @Test
    void isSecretName_examples() {
        assertThat(List.of("secret", "SecretAccessKey", "password", "registryToken", "authorization",
                "credentials", "X-Amz-Signature")).allMatch(Redaction::isSecretName);
        assertThat(List.of("repositoryName", "authorizationData", "imageTag", "uploadId"))
                .noneMatch(Redaction::isSecretName);
    }
}
