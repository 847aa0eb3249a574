package io.berth.server.metrics;

import io.berth.core.spi.meta.MetadataStore;
import java.util.function.Function;

/**
 * Times every metadata transaction ({@code berth_metadata_seconds{operation=read|write|write_unsynced,outcome}}) at
 * the one entry all store access goes through, so no store method needs its own timing. A transaction's time
 * includes waiting for a connection (and, on SQLite, for the writer lock): what a request actually waits.
 */
public record TimedMetadataStore(MetadataStore delegate, BerthMetrics metrics, StoreCallObserver observer)
        implements MetadataStore {
    static final String METER = "berth.metadata";
    /** The store's name to a {@link StoreCallObserver}. */
    public static final String STORE = "metadata";

    public TimedMetadataStore(MetadataStore delegate, BerthMetrics metrics) {
        this(delegate, metrics, StoreCallObserver.NONE);
    }

    private <T> T timed(String operation, Function<Function<Tx, T>, T> entry, Function<Tx, T> work) {
        StoreCallObserver.Call observed = observer.begin(STORE, operation);
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = entry.apply(work);
            ok = true;
            return result;
        } finally {
            metrics.storeCall(METER, operation, ok, System.nanoTime() - start);
            observed.end(ok);
        }
    }

    @Override public <T> T read(Function<Tx, T> work) { return timed("read", delegate::read, work); }

    @Override public <T> T write(Function<Tx, T> work) { return timed("write", delegate::write, work); }

    @Override
    public <T> T writeUnsynced(Function<Tx, T> work) { return timed("write_unsynced", delegate::writeUnsynced, work); }

    @Override public String describe() { return delegate.describe(); }

    @Override public void checkHealth() { delegate.checkHealth(); }

    @Override public void close() { delegate.close(); }
}
