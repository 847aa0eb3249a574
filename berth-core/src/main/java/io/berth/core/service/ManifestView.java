package io.berth.core.service;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ManifestRecord;
import java.time.Instant;

/**
 * A stored manifest as the services hand it to the HTTP planes: the exact bytes the client pushed plus what the
 * registry indexes about them, apart from the storage SPI's row type.
 *
 * @param artifactType the manifest's {@code artifactType}, else its config media type for image manifests with a
 *                     non-image config (as the referrers API defines), or null
 * @param subject      the {@code subject} digest for referrers, or null
 * @param imageSize    ECR's image size: the sum of the config and layer sizes for an image manifest, the sum of the
 *                     children's sizes for an index (computed at push)
 * @param lastPulledAt when a pull was last recorded (at most hourly), or null
 */
public record ManifestView(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                           long imageSize, Instant pushedAt, Instant lastPulledAt) {

    public long size() { return content.length; }

    static ManifestView of(ManifestRecord m) {
        return new ManifestView(m.digest(), m.mediaType(), m.artifactType(), m.subject(), m.content(), m.imageSize(),
                m.pushedAt(), m.lastPulledAt());
    }
}
