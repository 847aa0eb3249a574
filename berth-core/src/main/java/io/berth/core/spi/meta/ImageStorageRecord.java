package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;

/**
 * Where an image stands in ECR's archive storage class. An image without a row is {@link #active ACTIVE in
 * STANDARD} and was never archived; rows go with their manifest.
 *
 * @param storageClass    STANDARD while ACTIVE; ARCHIVE while ARCHIVED and while ACTIVATING (its blobs are still
 *                        being brought back)
 * @param lastArchivedAt  when it last went to the archive (ECR's {@code lastArchivedAt}), or null
 * @param lastActivatedAt when it was last restored from the archive (ECR's {@code lastActivatedAt}), or null
 */
public record ImageStorageRecord(Digest digest, StorageClass storageClass, ImageStatus status, Instant lastArchivedAt,
                                 Instant lastActivatedAt) {

    /** ECR's {@code imageStatus}. */
    public enum ImageStatus { ACTIVE, ARCHIVED, ACTIVATING }

    /** ECR's storage classes ({@code targetStorageClass}). */
    public enum StorageClass { STANDARD, ARCHIVE }

    public ImageStorageRecord {
        if (digest == null || storageClass == null || status == null) {
            throw new IllegalArgumentException("digest, storage class and status are required");
        }
    }

    /** An image that was never archived. */
    public static ImageStorageRecord active(Digest digest) {
        return new ImageStorageRecord(digest, StorageClass.STANDARD, ImageStatus.ACTIVE, null, null);
    }

    public ImageStorageRecord archivedAt(Instant when) {
        return new ImageStorageRecord(digest, StorageClass.ARCHIVE, ImageStatus.ARCHIVED, when, lastActivatedAt);
    }

    public ImageStorageRecord activating() {
        return new ImageStorageRecord(digest, StorageClass.ARCHIVE, ImageStatus.ACTIVATING, lastArchivedAt,
                lastActivatedAt);
    }

    public ImageStorageRecord activatedAt(Instant when) {
        return new ImageStorageRecord(digest, StorageClass.STANDARD, ImageStatus.ACTIVE, lastArchivedAt, when);
    }
}
