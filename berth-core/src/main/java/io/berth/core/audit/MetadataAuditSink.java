package io.berth.core.audit;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.MetadataStore;
import java.util.List;

/** Writes each batch in one transaction of the metadata database (the {@code audit_events} table). */
public final class MetadataAuditSink implements AuditSink {
    private final MetadataStore metadata;

    public MetadataAuditSink(MetadataStore metadata) {
        this.metadata = metadata;
    }

    @Override
    public void write(List<AuditEvent> batch) {
        metadata.write(tx -> {
            tx.audit().append(batch);
            return null;
        });
    }

    @Override
    public String toString() { return "database " + metadata.describe(); }
}
