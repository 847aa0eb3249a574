package io.berth.scanner.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SBOM as an OCI artifact that refers to its image: an image manifest with {@code artifactType}
 * {@code application/vnd.cyclonedx+json}, the empty config, one layer (the CycloneDX document) and {@code subject}
 * = the image, so the referrers API, ListImageReferrers and {@code skopeo}/{@code oras discover} list it and the
 * image's deletion can take it along. The caller pushes {@link #blobs()} and then the manifest.
 */
public record SbomArtifact(byte[] manifest, Digest manifestDigest, byte[] sbom, Digest sbomDigest) {
    /** The OCI empty descriptor's content, {@code {}}, pushed as the config blob. */
    public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    public static final Digest EMPTY_CONFIG_DIGEST = Digest.sha256Of(EMPTY_CONFIG);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Builds the artifact for an image whose inventory is already serialised as CycloneDX. */
    public static SbomArtifact of(Descriptor image, byte[] sbom, Instant created) {
        Digest sbomDigest = Digest.sha256Of(sbom);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", CycloneDx.MEDIA_TYPE);
        ObjectNode config = m.putObject("config");
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("digest", EMPTY_CONFIG_DIGEST.toString());
        config.put("size", EMPTY_CONFIG.length);
        config.put("data", "e30=");
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", CycloneDx.MEDIA_TYPE);
        layer.put("digest", sbomDigest.toString());
        layer.put("size", sbom.length);
        ObjectNode subject = m.putObject("subject");
        subject.put("mediaType", image.mediaType());
        subject.put("digest", image.digest().toString());
        subject.put("size", image.size());
        m.putObject("annotations").put("org.opencontainers.image.created", created.toString());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SbomArtifact(bytes, Digest.sha256Of(bytes), sbom, sbomDigest);
    }

    /** The SBOM blob an SBOM artifact's manifest names (its one CycloneDX layer); empty for any other manifest. */
    public static java.util.Optional<Digest> sbomDigest(byte[] manifest) {
        try {
            com.fasterxml.jackson.databind.JsonNode m = JSON.readTree(manifest);
            for (com.fasterxml.jackson.databind.JsonNode layer : m.path("layers")) {
                if (CycloneDx.MEDIA_TYPE.equals(layer.path("mediaType").asText(null))) {
                    return java.util.Optional.of(Digest.parse(layer.path("digest").asText("")));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON, or no valid digest: not an SBOM this can read
        }
        return java.util.Optional.empty();
    }

    /** The blobs to push before the manifest: the empty config and the SBOM. */
    public Map<Digest, byte[]> blobs() {
        Map<Digest, byte[]> out = new LinkedHashMap<>();
        out.put(EMPTY_CONFIG_DIGEST, EMPTY_CONFIG);
        out.put(sbomDigest, sbom);
        return out;
    }

    public String manifestMediaType() { return MediaTypes.OCI_MANIFEST; }
}
