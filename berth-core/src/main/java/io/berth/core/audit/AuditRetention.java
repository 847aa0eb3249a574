package io.berth.core.audit;

import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Audit retention: deletes events older than a cutoff in batches of {@link #BATCH}, one short write transaction
 * each, so pruning a large backlog never holds the database's write lock for long (SQLite has one lock for all
 * writers), and pushes keep going between batches.
 */
public final class AuditRetention {
    static final int BATCH = 1_000;

    private final MetadataStore store;
    private final Clock clock;

    public AuditRetention(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Deletes events older than {@code retention} (measured from now); returns how many. */
    public long pruneOlderThan(Duration retention) {
        return pruneBefore(clock.instant().minus(retention));
    }

    /** Deletes every event whose time is before {@code cutoff}; returns how many. */
    public long pruneBefore(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = store.write(tx -> tx.audit().deleteBefore(cutoff, BATCH));
            total += deleted;
        } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        return total;
    }
}
