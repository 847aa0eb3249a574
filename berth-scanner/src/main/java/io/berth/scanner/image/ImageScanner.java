package io.berth.scanner.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.error.RegistryException;
import io.berth.scanner.inventory.InventoryFinders;
import io.berth.scanner.layer.Layer;
import io.berth.scanner.layer.LayerWalker;
import io.berth.scanner.layer.WalkLimits;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import io.berth.scanner.result.ScanOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scanner's entry point for one manifest: an image manifest is walked layer by layer into an inventory, an index
 * answers with its children (each to be scanned the same way), and anything that is not a container image (an
 * artifact: a signature, an SBOM, a Helm chart, an attestation) is {@link ScanOutcome.Unsupported}, ECR's
 * UNSUPPORTED_IMAGE. No exception escapes for anything an image may contain: each becomes {@link ScanOutcome.Failed}.
 */
public final class ImageScanner {
    /** Image config media types: a manifest with another config is an artifact, whatever its layers. */
    static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");
    /** Layer media types a container runtime unpacks (OCI's, its deprecated non-distributable ones, Docker's). */
    static final Set<String> LAYERS = Set.of(
            "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.docker.image.rootfs.diff.tar");
    private static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WalkLimits limits;
    private final InventoryFinders finders = new InventoryFinders();

    public ImageScanner(WalkLimits limits) {
        this.limits = limits;
    }

    /**
     * Scans one manifest.
     * @param mediaType the manifest's media type as stored (its {@code mediaType} field is used when this is null)
     */
    public ScanOutcome scan(String mediaType, byte[] manifest, BlobSource blobs) {
        JsonNode doc;
        try {
            doc = JSON.readTree(manifest);
        } catch (IOException e) {
            return new ScanOutcome.Failed(FailureReason.MALFORMED_MANIFEST, "the manifest is not JSON");
        }
        if (doc == null || !doc.isObject()) {
            return new ScanOutcome.Failed(FailureReason.MALFORMED_MANIFEST, "the manifest is not a JSON object");
        }
        String type = mediaType != null ? mediaType : doc.path("mediaType").asText(null);
        try {
            if (MediaTypes.isIndex(type) || (type == null && doc.has("manifests"))) {
                return new ScanOutcome.IndexOf(children(doc));
            }
            if (type != null && !type.equals(MediaTypes.OCI_MANIFEST) && !type.equals(MediaTypes.DOCKER_MANIFEST)) {
                return new ScanOutcome.Unsupported("manifests of type " + type + " are not images");
            }
            String why = notAnImage(doc);
            if (why != null) {
                return new ScanOutcome.Unsupported(why);
            }
            List<Layer> layers = layers(doc, blobs);
            return new ScanOutcome.Scanned(finders.inventory(new LayerWalker(finders.selector(), limits).walk(layers)));
        } catch (ScanFailure e) {
            return ScanOutcome.Failed.of(e);
        } catch (RuntimeException e) {
            // a last line: whatever a hostile image triggers ends as a failed scan, never in the caller's thread
            return new ScanOutcome.Failed(FailureReason.CORRUPT_LAYER, "the scan stopped on "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String notAnImage(JsonNode doc) {
        String artifactType = doc.path("artifactType").asText(null);
        if (artifactType != null) {
            return "an artifact of type " + artifactType + ", not a container image";
        }
        String config = doc.path("config").path("mediaType").asText(null);
        if (!IMAGE_CONFIGS.contains(config)) {
            return "its config is " + config + ", not a container image config";
        }
        for (JsonNode l : doc.path("layers")) {
            String t = l.path("mediaType").asText(null);
            if (DOCKER_FOREIGN.equals(t)) {
                return "foreign layers (Windows base images) are not stored in the registry";
            }
            if (!LAYERS.contains(t)) {
                return "a layer of type " + t + " is not a filesystem layer";
            }
        }
        return null;
    }

    private static List<Layer> layers(JsonNode doc, BlobSource blobs) throws ScanFailure {
        List<Layer> out = new ArrayList<>();
        for (JsonNode l : doc.path("layers")) {
            Digest digest = digest(l);
            long size = l.path("size").canConvertToLong() ? l.path("size").asLong(-1) : -1;
            out.add(new Layer(l.path("mediaType").asText(), digest, size, () -> blobs.open(digest)));
        }
        return out;
    }

    private static List<Descriptor> children(JsonNode doc) throws ScanFailure {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode m : doc.path("manifests")) {
            Map<String, String> annotations = new HashMap<>();
            m.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            out.add(new Descriptor(m.path("mediaType").asText(null), digest(m), m.path("size").asLong(-1),
                    m.path("artifactType").asText(null), annotations));
        }
        return out;
    }

    private static Digest digest(JsonNode descriptor) throws ScanFailure {
        try {
            return Digest.parse(descriptor.path("digest").asText(null));
        } catch (RegistryException e) {
            throw new ScanFailure(FailureReason.MALFORMED_MANIFEST, "a descriptor's digest: " + e.getMessage());
        }
    }
}
