package io.berth.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
    /**
     * One row: method ({@code *} for any), path or prefix pattern, handler, and optionally a predicate on the
     * request (null: none) for rows that share {@code POST /}, such as STS and ECR told apart by their headers.
     */
    public record Route(String method, String pattern, Handler handler, Predicate<Request> when) {
        public Route(String method, String pattern, Handler handler) {
            this(method, pattern, handler, null);
        }

        boolean matches(Request request, String m, String path) {
            return matches(m, path) && (when == null || when.test(request));
        }

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
        return of(oci, health, ecr, null, null);
    }

    /**
     * The standard table. {@code POST /} goes to {@code sts} when the request is an STS call
     * ({@code X-Amz-Target: AWSSecurityTokenServiceV20110615.*}, or a form body, which ECR never sends), and to
     * {@code ecr} otherwise; the STS row comes first so the ECR row needs no predicate. {@code layers} serves the
     * signed layer URLs the ECR API hands out ({@code GET /layers/...}). Any of the last three may be null.
     */
    public static RootHandler of(Handler oci, Handler health, Handler ecr, Handler sts, Handler layers) {
        return of(oci, health, ecr, sts, layers, null);
    }

    /**
     * The standard table with the key service: {@code POST /} with {@code X-Amz-Target: TrentService.*} goes to
     * {@code kms} (before the ECR row, which takes every other {@code POST /}).
     */
    public static RootHandler of(Handler oci, Handler health, Handler ecr, Handler sts, Handler layers,
                                 Handler kms) {
        List<Route> table = new ArrayList<>();
        table.add(new Route("*", "/v2/*", oci));
        table.add(new Route("GET", "/healthz", health));
        table.add(new Route("GET", "/readyz", health));
        if (sts != null) {
            table.add(new Route("POST", "/", sts, r -> io.berth.server.auth.ApiRequests.isSts(
                    r.getHeaders().get("X-Amz-Target"), r.getHeaders().get(HttpHeader.CONTENT_TYPE))));
        }
        if (kms != null) {
            table.add(new Route("POST", "/", kms, io.berth.server.http.kms.KmsHandler::isKms));
        }
        if (ecr != null) {
            table.add(new Route("POST", "/", ecr));
        }
        if (layers != null) {
            table.add(new Route("GET", "/layers/*", layers));
        }
        return new RootHandler(table);
    }

    /**
     * This table with one more AWS JSON service on {@code POST /}: the calls whose {@code X-Amz-Target} starts with
     * {@code targetPrefix} (such as {@code secretsmanager.}) go to {@code api}, ahead of the ECR row.
     */
    public RootHandler withJsonApi(String targetPrefix, Handler api) {
        List<Route> table = new ArrayList<>();
        table.add(new Route("POST", "/", api, r -> {
            String target = r.getHeaders().get("X-Amz-Target");
            return target != null && target.startsWith(targetPrefix);
        }));
        table.addAll(routes);
        return new RootHandler(table);
    }

    public List<Route> routes() { return routes; }

    /** This table with one more row after the others, such as {@code GET /metrics}. */
    public RootHandler with(Route route) {
        List<Route> table = new ArrayList<>(routes);
        table.add(route);
        return new RootHandler(table);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        response.getHeaders().put(RequestIds.HEADER, RequestIds.of(request));
        for (Route r : routes) {
            if (r.matches(request, method, path)) {
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
