package io.berth.server.it;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;

/** Manifests of every media type, pointing at blobs the test pushed first. */
final class Fixtures {
    static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static String ociManifest(Digest config, long configSize, Digest layer, long layerSize) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config, configSize) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer, layerSize) + "]}";
    }

    static String dockerManifest(Digest config, long configSize, Digest layer, long layerSize) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.docker.container.image.v1+json", config, configSize) + ",\"layers\":["
                + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer, layerSize) + "]}";
    }

    static String index(String mediaType, String childMediaType, Digest child, long childSize) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[{\"mediaType\":\""
                + childMediaType + "\",\"digest\":\"" + child + "\",\"size\":" + childSize
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
    }

    /** An OCI artifact: artifactType, the empty config and a subject. */
    static String artifact(String artifactType, Digest layer, long layerSize, Digest subject, long subjectSize) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
                + artifactType + "\",\"config\":" + descriptor(MediaTypes.OCI_EMPTY, Digest.sha256Of(EMPTY_JSON), 2)
                + ",\"layers\":[" + descriptor("application/octet-stream", layer, layerSize) + "],\"subject\":"
                + descriptor(MediaTypes.OCI_MANIFEST, subject, subjectSize) + "}";
    }

    private Fixtures() {}
}
