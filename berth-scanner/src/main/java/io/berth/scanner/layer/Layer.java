package io.berth.scanner.layer;

import io.berth.core.model.Digest;
import java.util.Objects;

/**
 * One layer as the image manifest describes it, and where to read it.
 *
 * @param size the size the manifest declares, checked while streaming; -1 when unknown
 */
public record Layer(String mediaType, Digest digest, long size, LayerSource source) {
    public Layer {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(source, "source");
    }
}
