package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.List;

/**
 * What lifecycle evaluation reads of one manifest, without its bytes: a repository of 100,000 images is gathered in
 * pages of these, so its content never has to be held in memory.
 *
 * @param tags           the tags pointing at it, in name order
 * @param lastPulledAt   {@code lastRecordedPullTime}, or null when never pulled
 * @param subject        the digest of the manifest this one refers to, or null
 * @param listedByIndex  whether an index of the repository lists it
 */
public record ImageSummary(Digest digest, List<String> tags, Instant pushedAt, Instant lastPulledAt, Digest subject,
                           boolean listedByIndex) {
    public ImageSummary {
        tags = List.copyOf(tags);
    }
}
