package io.berth.core.audit;

import io.berth.core.spi.meta.AuditEvent;
import java.util.List;

/** A destination for batches of audit events: the database, a JSON-lines file. */
public interface AuditSink {

    /** Stores the batch (all of it or, on failure, throws). Called from one thread at a time per sink. */
    void write(List<AuditEvent> batch);
}
