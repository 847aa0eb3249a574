package io.berth.server.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}. On the management port it is open ({@link #open}); on the main port it needs
 * {@code Authorization: Bearer <management.token>} ({@link #withToken}), and without a token configured it is not
 * there at all (404, like any unknown path), so the main port reveals nothing about the deployment.
 */
public final class MetricsHandler extends Handler.Abstract {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final BerthMetrics metrics;
    private final Optional<byte[]> token; // empty: open
    private final boolean enabled;

    private MetricsHandler(BerthMetrics metrics, Optional<byte[]> token, boolean enabled) {
        this.metrics = metrics;
        this.token = token;
        this.enabled = enabled;
    }

    public static MetricsHandler open(BerthMetrics metrics) {
        return new MetricsHandler(metrics, Optional.empty(), true);
    }

    /** For the main port: bearer token, or 404 when {@code token} is empty. */
    public static MetricsHandler withToken(BerthMetrics metrics, Optional<String> token) {
        return new MetricsHandler(metrics, token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8)),
                token.isPresent());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestLabels.api(request, "management");
        RequestLabels.operation(request, "metrics");
        if (!enabled) {
            return send(response, callback, 404, "text/plain", "404 not found\n");
        }
        if (token.isPresent()) {
            String presented = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (presented == null || !MessageDigest.isEqual(token.get(),
                    presented.getBytes(StandardCharsets.UTF_8))) { // constant time for equal lengths
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"berth-metrics\"");
                return send(response, callback, 401, "text/plain", "401 unauthorized: Bearer management.token\n");
            }
        }
        return send(response, callback, 200, CONTENT_TYPE, metrics.scrape());
    }

    private static boolean send(Response response, Callback callback, int status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
