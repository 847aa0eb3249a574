package io.berth.core.service;

import io.berth.core.spi.meta.ImageStorageRecord;
import java.time.Instant;

/**
 * Where an image stands in the archive storage class, as the services hand it to the HTTP planes (apart from the
 * storage SPI's row type).
 *
 * @param status          ECR's {@code imageStatus}
 * @param storageClass    STANDARD while ACTIVE, ARCHIVE while ARCHIVED or ACTIVATING
 * @param lastArchivedAt  when it last went to the archive, or null
 * @param lastActivatedAt when it was last restored, or null
 */
public record ImageStorageView(Status status, StorageClass storageClass, Instant lastArchivedAt,
                               Instant lastActivatedAt) {

    public enum Status { ACTIVE, ARCHIVED, ACTIVATING }

    public enum StorageClass { STANDARD, ARCHIVE }

    static ImageStorageView of(ImageStorageRecord r) {
        return new ImageStorageView(Status.valueOf(r.status().name()), StorageClass.valueOf(r.storageClass().name()),
                r.lastArchivedAt(), r.lastActivatedAt());
    }
}
