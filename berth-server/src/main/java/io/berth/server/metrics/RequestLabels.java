package io.berth.server.metrics;

import org.eclipse.jetty.server.Request;

/**
 * What the planes tell the request metrics about a request, as request attributes: the API ({@code oci},
 * {@code ecr}, {@code sts}, any later AWS plane by its name) and the operation. Both come from the planes' own
 * tables, never from what the client wrote, so the label values stay a small fixed set.
 */
public final class RequestLabels {
    static final String API = "berth.metrics.api";
    static final String OPERATION = "berth.metrics.operation";
    /** Requests no plane claimed (unknown paths), and operations a plane did not recognise. */
    public static final String UNKNOWN = "unknown";

    private RequestLabels() {}

    public static void api(Request request, String api) {
        request.setAttribute(API, api);
    }

    public static void operation(Request request, String operation) {
        request.setAttribute(OPERATION, operation);
    }

    /** The API a plane named, or {@link #UNKNOWN}. */
    public static String api(Request request) {
        return request.getAttribute(API) instanceof String s ? s : UNKNOWN;
    }

    /** The operation a plane named, or {@link #UNKNOWN}. */
    public static String operation(Request request) {
        return request.getAttribute(OPERATION) instanceof String s ? s : UNKNOWN;
    }
}
