package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One image a preview acts on, in the order evaluation decided it ({@code position} 0, 1, ...).
 *
 * @param action              {@code EXPIRE} or {@code TRANSITION} (the API's enum names)
 * @param targetStorageClass  {@code ARCHIVE} for a transition, else null
 * @param storageClass        the image's storage class when evaluated: {@code STANDARD} or {@code ARCHIVE}
 */
public record LifecyclePreviewResult(int position, Digest digest, List<String> tags, Instant pushedAt, String action,
                                     String targetStorageClass, int rulePriority, String storageClass) {
    public LifecyclePreviewResult {
        tags = List.copyOf(tags);
    }
}
