package io.berth.server.http.aws;

import io.berth.core.auth.Principal;
import org.eclipse.jetty.server.Request;

/**
 * One call on the AWS API plane as {@link AwsApiHandler} hands it to a service: the request, its ID and, once the
 * call is admitted, the authenticated principal and the body. Before admission (a call refused from its headers)
 * {@link #principal} and {@link #body} are null, which the audit hook records as such.
 */
public final class AwsCall {
    private final Request request;
    private final String requestId;
    private Principal principal;
    private byte[] body;

    AwsCall(Request request, String requestId) {
        this.request = request;
        this.requestId = requestId;
    }

    void admitted(Principal principal, byte[] body) {
        this.principal = principal;
        this.body = body;
    }

    public Request request() { return request; }

    public String requestId() { return requestId; }

    /** The authenticated caller; null when the call was refused before it was admitted. */
    public Principal principal() { return principal; }

    /** The body as read and verified; null when the call was refused before it was read. */
    public byte[] body() { return body; }
}
