package io.berth.server.http.aws;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.http.RequestIds;
import io.berth.server.metrics.RequestLabels;
import io.berth.server.throttling.Throttle;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core of the AWS API plane, running one service's table ({@link AwsApi}): stamps the request ID, admits the
 * call (SigV4 for the service's signing name from the headers, then the body within its operation's
 * {@link BodyLimit} and the shared {@link BodyBudget}: {@link SignedApiCalls}), runs the operation, and writes the
 * answer or the error with the {@link AwsProtocol}'s one writer, then hands the outcome to the {@link AwsAudit}
 * hook. It is the plane's one catch-all: anything but a {@link RegistryException} becomes a logged internal error.
 */
public final class AwsApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AwsApiHandler.class);

    private final SignedApiCalls calls;
    private final AwsApi api;
    private final AwsProtocol protocol;
    private final String service;
    private final String apiLabel;

    public AwsApiHandler(SignedApiCalls calls, AwsApi api) {
        this.calls = calls;
        this.api = api;
        this.protocol = api.protocol();
        this.service = api.name();
        this.apiLabel = api.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        AwsCall call = new AwsCall(request, RequestIds.of(request));
        response.getHeaders().put(RequestIds.HEADER, call.requestId());
        String operation = protocol.operation(request, null);
        // the plane's name is the metrics' api label; the operation becomes a label only once it is known valid
        RequestLabels.api(request, apiLabel);
        try (SignedApiCalls.Admitted admitted = calls.admit(request, response, api.signingName(),
                api.limits().apply(operation), operation)) {
            call.admitted(admitted.principal(), admitted.bytes());
            operation = protocol.operation(request, admitted.bytes());
            Object result = api.operations().answer(call, operation);
            RequestLabels.operation(request, operation);
            byte[] out = protocol.answer(call, operation, result);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, protocol.contentType());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.length);
            response.write(true, ByteBuffer.wrap(out), callback);
            record(call, operation, result, null, null);
        } catch (RegistryException e) {
            if (e.code().serverFault()) {
                LOG.error("{} request {} {}: {}", service, call.requestId(), operation, e.getMessage(), e);
            } else {
                LOG.debug("{} request {} {}: {} {}", service, call.requestId(), operation, e.code(), e.getMessage());
            }
            labelFailure(request, call, operation, e.code());
            fail(response, callback, call, e.code(), e.getMessage(), e);
            record(call, operation, null, e.code(), e.getMessage());
        } catch (Throwable t) { // the plane's one catch-all
            LOG.error("{} request {} {} failed", service, call.requestId(), operation, t);
            fail(response, callback, call, ErrorCode.INTERNAL, "internal error (request " + call.requestId() + ")",
                    t);
            record(call, operation, null, ErrorCode.INTERNAL, t.toString());
        }
        return true;
    }

    /**
     * A failed call keeps its operation label if the caller was authenticated and the operation is one of the
     * plane's (an unknown one fails as such); a quota refusal has labelled it already ({@link Throttle} knows only
     * configured operations). Anything else a client wrote stays out of the labels.
     */
    private static void labelFailure(Request request, AwsCall call, String operation, ErrorCode code) {
        if (operation != null && call.principal() != null && code != ErrorCode.UNKNOWN_OPERATION
                && code != ErrorCode.UNSUPPORTED) {
            RequestLabels.operation(request, operation);
        }
    }

    private void fail(Response response, Callback callback, AwsCall call, ErrorCode code, String message,
                      Throwable cause) {
        if (response.isCommitted()) {
            callback.failed(cause);
            return;
        }
        protocol.writeError(response, callback, call.requestId(), code, message);
    }

    /** Runs after the answer is written and never throws into the request. */
    private void record(AwsCall call, String operation, Object result, ErrorCode error, String message) {
        try {
            api.audit().record(call, operation, result, error, message);
        } catch (RuntimeException e) {
            LOG.warn("{} request {}: could not record audit event: {}", service, call.requestId(), e.toString());
        }
    }
}
