package io.berth.core.event;

import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Event retention: deletes events that are older than the retention AND acknowledged by every subscriber, in
 * batches of {@link #BATCH}, one short write transaction each (as {@code AuditRetention} does). A subscriber that
 * has not acknowledged an event keeps it however old it is: the stream never drops an event someone is still to
 * handle. A subscriber that is gone for good must be removed ({@code EventStore.unsubscribe}) to let pruning on.
 */
public final class EventRetention {
    static final int BATCH = 1_000;

    private final MetadataStore store;
    private final Clock clock;

    public EventRetention(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Prunes events older than {@code retention} (from now) that every subscriber has acknowledged; how many. */
    public long pruneOlderThan(Duration retention) {
        Instant cutoff = clock.instant().minus(retention);
        long total = 0;
        int deleted;
        do {
            deleted = store.write(tx -> tx.events().prune(cutoff, BATCH));
            total += deleted;
        } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        return total;
    }
}
