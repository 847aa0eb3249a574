package io.berth.core.gc;

import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Online mark-and-sweep over metadata rows: removes blobs no manifest references and abandoned upload sessions,
 * once older than the grace period. Runs while pushes continue (see {@link io.berth.core.spi.meta.BlobRecordStore}
 * for the protocol that makes that safe).
 */
public final class GarbageCollector {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Duration grace;
    private final Clock clock;

    public GarbageCollector(BlobStore blobs, MetadataStore metadata, Duration grace, Clock clock) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.grace = grace;
        this.clock = clock;
    }

    public GcReport run(boolean dryRun, GcProgress progress) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
