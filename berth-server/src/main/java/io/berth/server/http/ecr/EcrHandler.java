package io.berth.server.http.ecr;

import io.berth.core.audit.AuditEvent;
import io.berth.core.audit.AuditEvent.UserIdentity;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.Authenticator;
import io.berth.server.http.RequestIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECR JSON 1.1 API on {@code POST /}: reads the body (bounded), authenticates the call, dispatches on
 * {@code X-Amz-Target} to one {@link EcrAction} per operation, and writes the response or the AWS error. It is the
 * plane's one catch-all: anything but a {@link RegistryException} becomes a logged ServerException.
 */
public final class EcrHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(EcrHandler.class);
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    /**
     * Largest request body: UploadLayerPart carries up to 20 MiB of layer bytes, base64-encoded (about 26.7 MiB),
     * plus a little JSON. Anything larger is refused before it is read.
     */
    public static final int MAX_BODY_BYTES = 30 * 1024 * 1024;
    private static final Pattern REGION = Pattern.compile("Credential=[^/,]+/\\d{8}/([a-z0-9-]+)/");
    private static final String DEFAULT_REGION = "us-east-1";

    private final Authenticator authenticator;
    private final EcrContext context;
    private final Map<String, EcrAction<?, ?>> actions;
    private final AuditLog audit;

    public EcrHandler(Authenticator authenticator, EcrContext context) {
        this(authenticator, context, AuditLog.NONE);
    }

    /** @param audit receives every call, successful or not (CloudTrail records every ECR API call too) */
    public EcrHandler(Authenticator authenticator, EcrContext context, AuditLog audit) {
        this.authenticator = authenticator;
        this.context = context;
        this.audit = audit;
        this.actions = EcrActions.all().stream()
                .collect(Collectors.toUnmodifiableMap(EcrAction::name, Function.identity()));
    }

    /** The operations served, for documentation and tests. */
    public List<String> operations() {
        List<String> names = new ArrayList<>(actions.keySet());
        names.sort(null);
        return names;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = RequestIds.of(request);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        String target = request.getHeaders().get("X-Amz-Target");
        byte[] body = null;
        Principal principal = null;
        try {
            body = readBody(request);
            principal = authenticator.authenticateApiCall(new Authenticator.ApiRequest("POST",
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers(request), body,
                    Request.getRemoteAddr(request)));
            EcrAction<?, ?> action = target != null && target.startsWith(TARGET_PREFIX)
                    ? actions.get(target.substring(TARGET_PREFIX.length())) : null;
            if (action == null) {
                throw new RegistryException(ErrorCode.UNKNOWN_OPERATION,
                        target == null ? "Missing X-Amz-Target header" : "Unknown operation " + target);
            }
            Object result = invoke(action, principal, request, body);
            byte[] out = EcrJson.write(result);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.length);
            response.write(true, ByteBuffer.wrap(out), callback);
            record(request, target, body, principal, result, null, null);
        } catch (RegistryException e) {
            if (e.code().serverFault()) {
                LOG.error("ECR request {} {}: {}", requestId, target, e.getMessage(), e);
            } else {
                LOG.debug("ECR request {} {}: {} {}", requestId, target, e.code().ecrType(), e.getMessage());
            }
            fail(response, callback, e.code(), e.getMessage(), e);
            record(request, target, body, principal, null, e.code().ecrType(), e.getMessage());
        } catch (Throwable t) { // the plane's one catch-all
            LOG.error("ECR request {} {} failed", requestId, target, t);
            fail(response, callback, ErrorCode.INTERNAL, "internal error (request " + requestId + ")", t);
            record(request, target, body, principal, null, ErrorCode.INTERNAL.ecrType(), t.toString());
        }
        return true;
    }

    /**
     * Records the call: the operation, the redacted request (no manifest, no layer bytes, no secrets) and, on
     * success, a redacted and size-capped copy of the response. Runs after the response is written and never
     * throws into the request.
     */
    private void record(Request request, String target, byte[] body, Principal principal, Object result,
                        String errorCode, String errorMessage) {
        try {
            String name = target == null ? "Unknown" : target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : target;
            String params = Redaction.requestParameters(body);
            String repository = null;
            String registryId = principal != null && principal.account() != null ? principal.account().value()
                    : null;
            if (params != null) {
                com.fasterxml.jackson.databind.JsonNode tree = EcrJson.MAPPER.readTree(params);
                repository = tree.path("repositoryName").isTextual() ? tree.get("repositoryName").asText() : null;
                if (tree.path("registryId").isTextual()) {
                    registryId = tree.get("registryId").asText(); // the account whose resource was asked for
                }
            }
            UserIdentity who = principal == null ? RequestAudit.presented(request) : UserIdentity.of(principal);
            audit.record(RequestAudit.event(request, name, AuditEvent.SOURCE_ECR, who, params,
                    Redaction.responseElements(result == null ? null : EcrJson.MAPPER.valueToTree(result)), errorCode, errorMessage, repository, registryId));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("ECR request {}: could not record audit event: {}", RequestIds.of(request), e.toString());
        }
    }

    /**
     * Parses the request, settles which registry and repository it addresses and authorizes {@code ecr:<Action>}
     * there, then runs the action. Authorization comes before any lookup, so a denied caller gets the same answer
     * whether or not the repository exists.
     */
    private <Q, R> R invoke(EcrAction<Q, R> action, Principal principal, Request request, byte[] body) {
        Q q = EcrJson.read(body, action.requestType());
        EcrTarget target = EcrTarget.of(q, principal);
        AccessControl.Origin origin = new AccessControl.Origin(remoteAddress(request), request.isSecure());
        if (context.access() != null && !action.authorizesItself()) {
            context.access().require(principal, "ecr:" + action.name(), target.registry(), target.repository(),
                    origin);
        }
        EcrCall call = new EcrCall(principal, target.registry(), region(request), endpoint(request), context, origin);
        return action.handle(call, q);
    }

    private static java.net.InetAddress remoteAddress(Request request) {
        java.net.SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof java.net.InetSocketAddress isa ? isa.getAddress() : null;
    }

    private static byte[] readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (EofException e) {
            throw new RegistryException(ErrorCode.SERIALIZATION, "request body incomplete");
        }
    }

    private static RegistryException tooLarge() {
        return new RegistryException(ErrorCode.REQUEST_TOO_LARGE,
                "Request body exceeds the limit of " + MAX_BODY_BYTES + " bytes");
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            out.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f.getValue());
        }
        return out;
    }

    /** The SigV4 credential scope's region when the call is signed, else us-east-1 (for ARNs). */
    private static String region(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null) {
            Matcher m = REGION.matcher(auth);
            if (m.find()) {
                return m.group(1);
            }
        }
        return DEFAULT_REGION;
    }

    static String endpoint(Request request) {
        HttpURI uri = request.getHttpURI();
        String host = uri.getHost();
        if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getScheme() + "://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    private static void fail(Response response, Callback callback, ErrorCode code, String message, Throwable cause) {
        if (response.isCommitted()) {
            callback.failed(cause);
            return;
        }
        EcrErrorWriter.write(response, callback, code, message);
    }
}
