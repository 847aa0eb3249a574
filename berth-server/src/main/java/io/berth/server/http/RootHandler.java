package io.berth.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The top-level route table of the one port: {@code /v2/…} to the OCI plane, health probes, and {@code POST /} for
 * the ECR JSON API once an {@code EcrHandler} is registered (until then {@code POST /} is a 404 like any other
 * path). Rows are matched in order; a pattern ending in {@code *} matches the prefix.
 */
public final class RootHandler extends Handler.Abstract {
    /** One row: method ({@code *} for any), path or prefix pattern, handler. */
    public record Route(String method, String pattern, Handler handler) {
        boolean matches(String m, String path) {
            if (!method.equals("*") && !method.equals(m)) {
                return false;
            }
            if (pattern.endsWith("*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
            }
            return path.equals(pattern);
        }
    }

    private final List<Route> routes;

    public RootHandler(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The standard table; {@code ecr} is null until the ECR API exists. */
    public static RootHandler of(Handler oci, Handler health, Handler ecr) {
        return of(oci, health, ecr, null);
    }

    /** With {@code layers}, the handler of the signed layer URLs the ECR API hands out ({@code GET /layers/...}). */
    public static RootHandler of(Handler oci, Handler health, Handler ecr, Handler layers) {
        List<Route> table = new ArrayList<>();
        table.add(new Route("*", "/v2/*", oci));
        table.add(new Route("GET", "/healthz", health));
        table.add(new Route("GET", "/readyz", health));
        if (ecr != null) {
            table.add(new Route("POST", "/", ecr));
        }
        if (layers != null) {
            table.add(new Route("GET", "/layers/*", layers));
        }
        return new RootHandler(table);
    }

    public List<Route> routes() { return routes; }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        for (Route r : routes) {
            if (r.matches(method, path)) {
                return r.handler().handle(request, response, callback);
            }
        }
        byte[] body = "404 not found\n".getBytes(StandardCharsets.US_ASCII);
        response.setStatus(404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
