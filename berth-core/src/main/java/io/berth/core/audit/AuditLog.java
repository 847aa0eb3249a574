package io.berth.core.audit;

import io.berth.core.spi.meta.AuditEvent;

/**
 * Where audited requests go. {@link #record} never blocks and never throws: it is called on the request path after
 * the response is decided, and an audit problem must not fail or slow a push. {@link #recordDurably} is for rare
 * changes (admin commands) that must be stored before the caller is told they happened.
 */
public interface AuditLog {

    /** Queues the event; it may be lost if the queue is full (counted and logged) or the process is killed. */
    void record(AuditEvent event);

    /** Writes the event to every sink before returning; throws if it could not be stored. */
    void recordDurably(AuditEvent event);

    /** Records nothing: for tests that drive a plane without wiring. */
    AuditLog NONE = new AuditLog() {
        @Override public void record(AuditEvent event) {}

        @Override public void recordDurably(AuditEvent event) {}
    };
}
