package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;

/**
 * A manifest row: the exact bytes the client pushed plus what the registry indexes about them.
 *
 * @param artifactType the manifest's {@code artifactType}, else its config media type for image manifests with a
 *                     non-image config (as the referrers API defines), or null
 * @param subject      the {@code subject} digest for referrers, or null
 * @param imageSize    ECR's image size: the sum of the config and layer sizes for an image manifest, the sum of the
 *                     children's sizes for an index (computed at push)
 * @param lastPulledAt when a pull was last recorded (at most hourly, see {@link ManifestStore#recordPull}), or null
 */
public record ManifestRecord(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                             long imageSize, Instant pushedAt, Instant lastPulledAt) {

    public ManifestRecord(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                          long imageSize, Instant pushedAt) {
        this(digest, mediaType, artifactType, subject, content, imageSize, pushedAt, null);
    }

    public long size() { return content.length; }
}
