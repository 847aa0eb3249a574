package io.berth.server.tracing;

import io.berth.server.http.RequestIds;
import io.berth.server.metrics.RequestLabels;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Opens a server span for each request (continuing the caller's trace when it sent a W3C {@code traceparent}) and
 * makes it current while the request is handled: Berth's handlers block on the request thread, so every store call
 * made for the request finds it there ({@link StoreSpans}). The span is named and ended by {@link #end}, run as a
 * request log: only once the request has completed are its status and the planes' labels final.
 */
final class TracingHandler extends Handler.Wrapper {
    private static final String SPAN = TracingHandler.class.getName() + ".span";
    static final String REQUEST_ID = "berth.request_id";

    private static final TextMapGetter<Request> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Request request) { return request.getHeaders().getFieldNamesCollection(); }

        @Override
        public String get(Request request, String key) {
            return request == null ? null : request.getHeaders().get(key);
        }
    };

    private final Tracer tracer;

    TracingHandler(Handler next, Tracer tracer) {
        super(next);
        this.tracer = tracer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS);
        Span span = tracer.spanBuilder(request.getMethod()).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.getMethod())
                .setAttribute("url.path", request.getHttpURI().getPath())
                .startSpan();
        request.setAttribute(SPAN, span);
        try (Scope ignored = parent.with(span).makeCurrent()) {
            return super.handle(request, response, callback);
        }
    }

    /** Names the request's span by API and operation, records the status and request ID, and ends it. */
    static void end(Request request, Response response) {
        if (!(request.getAttribute(SPAN) instanceof Span span)) {
            return; // refused before it reached the traced handler (the request limit's queue was full)
        }
        String api = RequestLabels.api(request);
        String operation = RequestLabels.operation(request);
        int status = response.getStatus();
        span.updateName(api + " " + operation);
        span.setAttribute("berth.api", api);
        span.setAttribute("berth.operation", operation);
        span.setAttribute("http.response.status_code", status);
        span.setAttribute(REQUEST_ID, RequestIds.of(request));
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR); // a 4xx is the client's: the server span stays unset (semconv)
        }
        span.end();
    }
}
