package io.berth.server.metrics;

/**
 * Told of each call the store decorators ({@link TimedBlobStore}, {@link TimedMetadataStore}) time, as it starts;
 * what it returns is told how the call ended. Traces hang their blob-store and database spans here, so the one
 * decorator per store serves both the meters and the spans. {@link #NONE} (tracing off) allocates nothing.
 */
public interface StoreCallObserver {
    StoreCallObserver NONE = (store, operation) -> Call.NONE;

    /**
     * @param store     {@code blobstore} or {@code metadata}
     * @param operation the decorator's operation label ({@code stat}, {@code append}, {@code read}, {@code write}…)
     */
    Call begin(String store, String operation);

    /** One call under way. */
    interface Call {
        Call NONE = ok -> { };

        void end(boolean ok);
    }
}
