package io.berth.core.manifest;

import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the registry needs to know about a pushed manifest, extracted and validated by {@link ManifestParser}.
 *
 * @param blobs         config and layer digests that must exist in the repository (foreign layers excluded)
 * @param layerSize     sum of the layer sizes (ECR's image size for an image manifest)
 * @param children      manifests an index lists, which must exist in the repository
 * @param artifactType  the referrers API's artifact type: {@code artifactType}, else the config media type
 */
public record ParsedManifest(String mediaType, Set<Digest> blobs, long layerSize, List<Descriptor> children,
                             Digest subject, String artifactType, Map<String, String> annotations) {

    public boolean isIndex() { return !children.isEmpty() || io.berth.core.model.MediaTypes.isIndex(mediaType); }
}
