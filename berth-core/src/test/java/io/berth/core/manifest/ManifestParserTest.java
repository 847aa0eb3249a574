package io.berth.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);
    static final String D3 = "sha256:" + "3".repeat(64);

    static String ociManifest(String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + D1
                + "\",\"size\":10},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + D2 + "\",\"size\":100}]" + extra + "}";
    }

    private static ParsedManifest parse(String contentType, String json) {
        return ManifestParser.parse(contentType, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalid(String contentType, String json, ErrorCode code, String messagePart) {
        assertThatThrownBy(() -> parse(contentType, json)).as("parsing %s", json)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(messagePart)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(code);
    }

    @Test
    void parse_ociImage_extractsBlobsAndSize() {
        ParsedManifest m = parse(MediaTypes.OCI_MANIFEST, ociManifest(""));
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.blobs()).extracting(Object::toString).containsExactly(D1, D2);
        assertThat(m.layerSize()).isEqualTo(100);
        assertThat(m.subject()).isNull();
        assertThat(m.artifactType()).isNull();
        assertThat(m.isIndex()).isFalse();
    }

    @Test
    void parse_artifactWithSubject_reportsSubjectAndArtifactType() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + D1 + "\",\"size\":2},\"layers\":[],"
                + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D3
                + "\",\"size\":5},\"annotations\":{\"org.example\":\"x\"}}";
        ParsedManifest m = parse(null, json);
        assertThat(m.subject()).hasToString(D3);
        assertThat(m.artifactType()).isEqualTo("application/vnd.example.sbom");
        assertThat(m.annotations()).containsEntry("org.example", "x");
    }

    @Test
    void parse_nonImageConfigWithoutArtifactType_usesConfigMediaType() {
        String json = ociManifest("").replace("application/vnd.oci.image.config.v1+json", "application/vnd.x.cfg");
        assertThat(parse(MediaTypes.OCI_MANIFEST, json).artifactType()).isEqualTo("application/vnd.x.cfg");
    }

    @Test
    void parse_index_listsChildren() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":7,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        ParsedManifest m = parse(MediaTypes.OCI_INDEX, json);
        assertThat(m.isIndex()).isTrue();
        assertThat(m.children()).extracting(d -> d.digest().toString()).containsExactly(D1);
        assertThat(m.blobs()).isEmpty();
    }

    @Test
    void parse_dockerManifestWithoutBodyMediaType_takesContentType() {
        String json = ociManifest("").replace(",\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"", "")
                .replace("\"schemaVersion\":2\"", "\"schemaVersion\":2");
        ParsedManifest m = parse(MediaTypes.DOCKER_MANIFEST + "; charset=utf-8",
                json.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,"));
        assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void parse_foreignLayer_notRequiredAsBlob() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + D1
                + "\",\"size\":10},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"" + D2
                + "\",\"size\":100,\"urls\":[\"https://example.com/layer\"]}]}";
        assertThat(parse(MediaTypes.DOCKER_MANIFEST, json).blobs()).extracting(Object::toString).containsExactly(D1);
    }

    @Test
    void parse_brokenJson_manifestInvalid() {
        assertInvalid(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,", ErrorCode.MANIFEST_INVALID, "not valid JSON");
        assertInvalid(MediaTypes.OCI_MANIFEST, "[1,2]", ErrorCode.MANIFEST_INVALID, "JSON object");
        assertInvalid(MediaTypes.OCI_MANIFEST, "", ErrorCode.MANIFEST_INVALID, "");
        assertInvalid(MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,\"schemaVersion\":2}",
                ErrorCode.MANIFEST_INVALID, "not valid JSON");
    }

    @Test
    void parse_mediaTypeProblems_manifestInvalid() {
        assertInvalid("application/json", ociManifest(""), ErrorCode.MANIFEST_INVALID, "unsupported manifest");
        assertInvalid(MediaTypes.DOCKER_MANIFEST, ociManifest(""), ErrorCode.MANIFEST_INVALID, "does not match");
        String noType = ociManifest("").replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",", "");
        assertInvalid(null, noType, ErrorCode.MANIFEST_INVALID, "media type missing");
        assertInvalid("", noType, ErrorCode.MANIFEST_INVALID, "media type missing");
    }

    @Test
    void parse_schemaAndDescriptorProblems_manifestInvalid() {
        assertInvalid(MediaTypes.OCI_MANIFEST, ociManifest("").replace("\"schemaVersion\":2", "\"schemaVersion\":1"),
                ErrorCode.MANIFEST_INVALID, "schemaVersion");
        assertInvalid(MediaTypes.OCI_MANIFEST, ociManifest("").replace(D2, "sha256:abc"),
                ErrorCode.MANIFEST_INVALID, "layers[0].digest");
        assertInvalid(MediaTypes.OCI_MANIFEST, ociManifest("").replace(D2, "md5:" + "2".repeat(32)),
                ErrorCode.MANIFEST_INVALID, "layers[0].digest");
        assertInvalid(MediaTypes.OCI_MANIFEST, ociManifest("").replace("\"size\":100", "\"size\":-1"),
                ErrorCode.MANIFEST_INVALID, "size");
        assertInvalid(MediaTypes.OCI_MANIFEST, ociManifest("").replace("\"size\":100", "\"size\":\"100\""),
                ErrorCode.MANIFEST_INVALID, "size");
        assertInvalid(MediaTypes.OCI_INDEX, "{\"schemaVersion\":2,\"manifests\":{}}", ErrorCode.MANIFEST_INVALID,
                "manifests must be an array");
    }

    @Test
    void parse_over4MiB_manifestTooLarge() {
        byte[] big = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
        assertThatThrownBy(() -> ManifestParser.parse(MediaTypes.OCI_MANIFEST, big))
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.MANIFEST_TOO_LARGE);
    }

    @Test
    void parse_trailingDataBomOrNul_refusedAsMalformed_trailingWhitespaceAccepted() {
        String m = ociManifest("");
        assertInvalid(MediaTypes.OCI_MANIFEST, m + "xx", ErrorCode.MANIFEST_INVALID, "");
        assertInvalid(MediaTypes.OCI_MANIFEST, m + m, ErrorCode.MANIFEST_INVALID, "after its JSON object");
        assertInvalid(MediaTypes.OCI_MANIFEST, m + "\u0000", ErrorCode.MANIFEST_INVALID, "");
        assertInvalid(MediaTypes.OCI_MANIFEST, "\uFEFF" + m, ErrorCode.MANIFEST_INVALID, "byte order mark");
        assertThat(parse(MediaTypes.OCI_MANIFEST, " \n" + m + " \r\n\t").layerSize())
                .as("JSON whitespace around the object").isEqualTo(100);
    }

    @Test
    void parse_layerSizesOverflowingLong_refused() {
        String huge = "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + D2
                + "\",\"size\":" + Long.MAX_VALUE + "}";
        String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"digest\":\"" + D1 + "\",\"size\":10},\"layers\":[" + huge + "," + huge.replace(D2, D3) + "]}";
        assertInvalid(MediaTypes.OCI_MANIFEST, json, ErrorCode.MANIFEST_INVALID, "add up to more than");
        assertInvalid(MediaTypes.OCI_MANIFEST, json.replace("\"size\":10", "\"size\":-1"),
                ErrorCode.MANIFEST_INVALID, "non-negative");
    }
}
