package io.berth.server.tracing;

import io.berth.server.metrics.StoreCallObserver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * A client span for each blob-store call and database transaction made for a traced request, as its child. Calls
 * made outside a request (the job runner, the event triggers, the heartbeat, which poll the database all the time)
 * or for an unsampled one get no span: they would be root spans by the thousand, each a trace of its own.
 */
final class StoreSpans implements StoreCallObserver {
    private final Tracer tracer;

    StoreSpans(Tracer tracer) { this.tracer = tracer; }

    @Override
    public Call begin(String store, String operation) {
        Span parent = Span.current();
        if (!parent.isRecording()) {
            return Call.NONE;
        }
        Span span = tracer.spanBuilder(store + " " + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute("berth.store", store).setAttribute("berth.store.operation", operation).startSpan();
        return ok -> {
            if (!ok) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        };
    }
}
