package io.berth.core.spi.meta;

import io.berth.core.audit.AuditEvent;
import io.berth.core.audit.AuditQuery;
import java.util.List;

/** The durable audit trail: append-only rows, queried by time, principal, repository and event name. */
public interface AuditStore {

    /** Appends the events in order. */
    void append(List<AuditEvent> events);

    /** The events matching every filter of {@code query}, newest first, at most {@code query.limit()}. */
    Page query(AuditQuery query);

    /** @param nextCursor null when there are no more events */
    record Page(List<AuditEvent> events, String nextCursor) {}
}
