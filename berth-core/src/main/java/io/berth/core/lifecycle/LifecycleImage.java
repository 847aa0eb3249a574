package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.Set;

/**
 * One image of a repository as lifecycle evaluation sees it.
 *
 * @param lastActivatedAt when a restored image became active again (null if never archived and restored)
 * @param lastPulledAt    {@code lastRecordedPullTime} (null if never pulled)
 * @param transitionedAt  when it was archived (null unless {@code storageClass} is ARCHIVE)
 * @param referencedByIndex whether an index (manifest list) in the repository lists it
 * @param subject         the digest of the image this one refers to (a signature, an SBOM), else null
 */
public record LifecycleImage(Digest digest, Set<String> tags, StorageClass storageClass, Instant pushedAt,
                             Instant lastActivatedAt, Instant lastPulledAt, Instant transitionedAt,
                             boolean referencedByIndex, Digest subject) {
    public LifecycleImage {
        tags = Set.copyOf(tags);
    }
}
