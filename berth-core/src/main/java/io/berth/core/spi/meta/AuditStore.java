package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;

/** The durable audit trail: append-only rows, queried by time, principal, repository and event name. */
public interface AuditStore {

    /** Appends the events in order. */
    void append(List<AuditEvent> events);

    /** The events matching every filter of {@code query}, newest first, at most {@code query.limit()}. */
    Page query(AuditQuery query);

    /**
     * Deletes up to {@code limit} of the oldest events whose time is before {@code cutoff}; returns how many. Callers
     * prune in batches, one transaction each, so a large backlog never holds a long write lock (see
     * {@code io.berth.core.audit.AuditRetention}).
     */
    int deleteBefore(Instant cutoff, int limit);

    /** @param nextCursor null when there are no more events */
    record Page(List<AuditEvent> events, String nextCursor) {}
}
