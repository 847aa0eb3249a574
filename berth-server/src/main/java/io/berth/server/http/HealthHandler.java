package io.berth.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.berth.server.metrics.RequestLabels;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /healthz}: the process answers. {@code /readyz}: the storage backends answer too (else 503). */
public final class HealthHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    /** Throws when a dependency is not ready; its message goes into the 503 body. */
    @FunctionalInterface
    public interface ReadinessCheck {
        void check() throws Exception;
    }

    private final ReadinessCheck readiness;

    public HealthHandler(ReadinessCheck readiness) { this.readiness = readiness; }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = 200;
        String body = "ok\n";
        boolean ready = request.getHttpURI().getPath().equals("/readyz");
        RequestLabels.api(request, "management");
        RequestLabels.operation(request, ready ? "readyz" : "healthz");
        if (ready) {
            try {
                readiness.check();
            } catch (Exception e) {
                LOG.warn("not ready: {}", e.toString());
                status = 503;
                body = "not ready: " + e.getMessage() + "\n";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
