package io.berth.server.tracing;

import io.berth.server.config.TracingConfig;
import io.berth.server.metrics.StoreCallObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.RequestLog;

/**
 * The traces of one running Berth, or {@link #OFF}: then {@link #wrap} returns the handler as it is, the request log
 * is null and the store observer is {@link StoreCallObserver#NONE}, so a server without {@code tracing.endpoint}
 * runs exactly the code it ran before (no context lookups, no span objects).
 *
 * <p>Spans are batched ({@link BatchSpanProcessor}: a bounded queue, exported every few seconds off the request
 * threads; a full queue drops spans rather than block a request) and flushed when Berth stops.
 */
public final class Tracing implements AutoCloseable {
    public static final Tracing OFF = new Tracing(null, null);
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
    private static final String SCOPE = "io.berth.server";

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** @param version Berth's version, as {@code service.version} */
    public static Tracing of(TracingConfig config, String version) {
        if (!config.enabled()) {
            return OFF;
        }
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(config.endpoint().get().toString()).setTimeout(Duration.ofSeconds(10)).build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME,
                        config.serviceName(), SERVICE_VERSION, version))))
                // a caller's traceparent decides for its trace; the ratio decides for the rest
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return new Tracing(provider, provider.get(SCOPE, version));
    }

    public boolean enabled() { return provider != null; }

    /** {@code root} with a server span around each request it handles (itself when tracing is off). */
    public Handler wrap(Handler root) {
        return enabled() ? new TracingHandler(root, tracer) : root;
    }

    /** Ends the server spans once their requests have completed; null when tracing is off. */
    public RequestLog requestLog() {
        return enabled() ? TracingHandler::end : null;
    }

    /** Blob-store and database spans, as children of the request being served. */
    public StoreCallObserver storeCalls() {
        return enabled() ? new StoreSpans(tracer) : StoreCallObserver.NONE;
    }

    /** Exports what is still queued (tests; {@link #close} does it too). */
    public void flush() {
        if (enabled()) {
            provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (enabled()) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
