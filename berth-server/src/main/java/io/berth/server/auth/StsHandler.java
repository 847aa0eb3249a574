package io.berth.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.audit.AuditLog;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import io.berth.server.audit.RequestAudit;
import io.berth.server.http.RequestIds;
import io.berth.server.http.aws.BodyLimit;
import io.berth.server.http.aws.SignedApiCalls;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one STS action registry clients need: {@code GetCallerIdentity}, so {@code aws sts get-caller-identity
 * --endpoint-url …} works. Speaks the query protocol the AWS CLI and SDKs use (form body in, XML out) and the JSON
 * protocol ({@code X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity}).
 */
public final class StsHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(StsHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** STS's request bodies are tiny forms; 64 KiB is far more than GetCallerIdentity needs. */
    static final BodyLimit LIMIT = BodyLimit.of(64 * 1024);

    private final SignedApiCalls calls;
    private final Identities identities; // null under --insecure-no-auth (no user IDs to look up)
    private final AuditLog audit;

    /**
     * @param calls authenticates each call before its body is read, then reads it (at most 64 KiB)
     * @param identities null under --insecure-no-auth (no user IDs to look up)
     * @param audit receives authentication failures (successful GetCallerIdentity calls are reads: not events)
     */
    public StsHandler(SignedApiCalls calls, Identities identities, AuditLog audit) {
        this.calls = calls;
        this.identities = identities;
        this.audit = audit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = RequestIds.of(request);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        boolean json = request.getHeaders().get("X-Amz-Target") != null;
        try {
            Principal p;
            String action;
            try (SignedApiCalls.Admitted call = calls.admit(request, response, LIMIT)) {
                p = call.principal();
                action = json ? target(request) : form(call.bytes()).get("Action");
            }
            if (!"GetCallerIdentity".equals(action)) {
                throw new RegistryException(ErrorCode.UNSUPPORTED, "Could not find operation " + action
                        + " for version 2011-06-15");
            }
            String userId = identities == null ? p.account().value() : identities.userIdOf(p);
            if (json) {
                Map<String, String> out = new LinkedHashMap<>();
                out.put("UserId", userId);
                out.put("Account", p.account().value());
                out.put("Arn", p.arn());
                send(response, callback, 200, "application/x-amz-json-1.0", JSON.writeValueAsBytes(out));
            } else {
                send(response, callback, 200, "text/xml", ("<GetCallerIdentityResponse xmlns=\"" + NS + "\">\n"
                        + "  <GetCallerIdentityResult>\n    <Arn>" + xml(p.arn()) + "</Arn>\n    <UserId>"
                        + xml(userId) + "</UserId>\n    <Account>" + p.account() + "</Account>\n"
                        + "  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>" + requestId
                        + "</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (RegistryException e) {
            LOG.debug("STS request {}: {} {}", requestId, e.code(), e.getMessage());
            error(response, callback, json, requestId, e.code(), e.getMessage());
            if (e.code().httpStatus() == 401 || e.code().httpStatus() == 403) {
                recordDenial(request, e);
            }
        } catch (Exception e) { // this handler's one catch-all
            LOG.error("STS request {} failed", requestId, e);
            error(response, callback, json, requestId, ErrorCode.INTERNAL, "internal error (request " + requestId
                    + ")");
        }
        return true;
    }

    private void recordDenial(Request request, RegistryException e) {
        try {
            audit.record(RequestAudit.event(request, "GetCallerIdentity", AuditEvent.SOURCE_STS,
                    RequestAudit.presented(request), null, null, e.code().ecrType(), e.getMessage(), null, null));
        } catch (RuntimeException failure) {
            LOG.warn("STS request {}: could not record audit event: {}", RequestIds.of(request), failure.toString());
        }
    }

    private static String target(Request request) {
        String t = request.getHeaders().get("X-Amz-Target");
        return t.startsWith(ApiRequests.STS_TARGET_PREFIX) ? t.substring(ApiRequests.STS_TARGET_PREFIX.length()) : t;
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * STS's query protocol spells the auth errors its own way (and answers them 403); the JSON protocol uses the
     * table's AWS names as ECR does.
     */
    private static void error(Response response, Callback callback, boolean json, String requestId, ErrorCode code,
                              String message) {
        if (json) {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("__type", code.ecrType());
            out.put("message", message);
            response.getHeaders().put("X-Amzn-Errortype", code.ecrType());
            try {
                send(response, callback, code.ecrStatus(), "application/x-amz-json-1.0", JSON.writeValueAsBytes(out));
            } catch (IOException e) {
                callback.failed(e);
            }
            return;
        }
        String stsCode;
        int status;
        switch (code) {
            case UNAUTHORIZED -> { stsCode = "InvalidClientTokenId"; status = 403; }
            case SIGNATURE_INVALID -> { stsCode = "SignatureDoesNotMatch"; status = 403; }
            case AUTHENTICATION_MISSING -> { stsCode = "MissingAuthenticationToken"; status = 403; }
            case SIGNATURE_INCOMPLETE -> { stsCode = "IncompleteSignature"; status = 400; }
            case UNSUPPORTED -> { stsCode = "InvalidAction"; status = 400; }
            default -> { stsCode = code.ecrType(); status = code.ecrStatus(); }
        }
        String type = code.serverFault() ? "Receiver" : "Sender";
        send(response, callback, status, "text/xml", ("<ErrorResponse xmlns=\"" + NS + "\">\n  <Error>\n    <Type>"
                + type + "</Type>\n    <Code>" + stsCode + "</Code>\n    <Message>" + xml(message)
                + "</Message>\n  </Error>\n  <RequestId>" + requestId + "</RequestId>\n</ErrorResponse>\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
