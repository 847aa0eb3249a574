package io.berth.server.metrics;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * Records each request once it has completed, as Jetty's request log does: the status and the bytes are final then,
 * and nothing is wrapped around the request path. The labels are the ones the planes set ({@link RequestLabels}).
 */
public final class RequestMetrics implements RequestLog {
    private final BerthMetrics metrics;

    public RequestMetrics(BerthMetrics metrics) { this.metrics = metrics; }

    @Override
    public void log(Request request, Response response) {
        metrics.request(RequestLabels.api(request), RequestLabels.operation(request), response.getStatus(),
                NanoTime.since(request.getBeginNanoTime()), Request.getContentBytesRead(request),
                Response.getContentBytesWritten(response));
    }
}
