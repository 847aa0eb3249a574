package io.berth.server.http;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;

/**
 * The one request id of a request, shared by the access log, the {@code x-amzn-RequestId} response header (on every
 * plane), error bodies and the audit trail, so a line in any of them finds the others. UUID-shaped like AWS's: a
 * random per-process half and a counter, which is unique without a SecureRandom call per request.
 */
public final class RequestIds {
    public static final String HEADER = "x-amzn-RequestId";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    private static final long PROCESS = new SecureRandom().nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIds() {}

    /** The request's id, assigned on first use. */
    public static String of(Request request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id instanceof String s) {
            return s;
        }
        String fresh = new UUID(PROCESS, COUNTER.incrementAndGet()).toString();
        request.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }
}
