package io.berth.server.http.ecr;

import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.http.RequestIds;
import io.berth.server.http.aws.BodyBudget;
import io.berth.server.http.aws.SignedApiCalls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECR JSON 1.1 API on {@code POST /}: authenticates the call and reads its body within the operation's limit
 * ({@link SignedApiCalls}, {@link EcrBodyLimits}), dispatches on
 * {@code X-Amz-Target} to one {@link EcrAction} per operation, and writes the response or the AWS error. It is the
 * plane's one catch-all: anything but a {@link RegistryException} becomes a logged ServerException.
 */
public final class EcrHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(EcrHandler.class);
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");

    private final SignedApiCalls calls;
    private final EcrContext context;
    private final Map<String, EcrAction<?, ?>> actions;
    private final AuditLog audit;
    private final String region;

    /**
     * @param calls authenticates each call and reads its body within the per-operation limits
     * @param audit receives every call, successful or not (CloudTrail records every ECR API call too)
     * @param region this server's region: in the ARNs it hands out and the only one a resource ARN may name
     */
    public EcrHandler(SignedApiCalls calls, EcrContext context, AuditLog audit, String region) {
        this.calls = calls;
        this.context = context;
        this.audit = audit;
        this.region = region;
        this.actions = EcrActions.all().stream()
                .collect(Collectors.toUnmodifiableMap(EcrAction::name, Function.identity()));
    }

    /** Heap the largest ECR request reserves while it runs: the least a {@link BodyBudget} must hold. */
    public static long largestRequestHeap() {
        return EcrBodyLimits.largestHeap();
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
        String name = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length())
                : null;
        byte[] body = null;
        Principal principal = null;
        try (SignedApiCalls.Admitted call = calls.admit(request, response, EcrBodyLimits.of(name))) {
            body = call.bytes();
            principal = call.principal();
            EcrAction<?, ?> action = name == null ? null : actions.get(name);
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
     * Records the call: the operation, the redacted request capped at 4 KiB (no manifest, no layer bytes, no
     * secrets; none at all when the body was not read) and, on success, a redacted and size-capped copy of the
     * response. The {@code repository} column gets a repositoryName only when it is a valid name, and the registry
     * a registryId only when it is 12 digits: the indexed columns never hold what a caller made up. Runs after the
     * response is written and never throws into the request.
     */
    private void record(Request request, String target, byte[] body, Principal principal, Object result,
                        String errorCode, String errorMessage) {
        try {
            String name = target == null ? "Unknown" : target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : target;
            Redaction.RequestSummary params = Redaction.requestSummary(body);
            String registryId = principal != null && principal.account() != null ? principal.account().value()
                    : null;
            String requested = params.string("registryId");
            if (requested != null && REGISTRY_ID.matcher(requested).matches()) {
                registryId = requested; // the account whose resource was asked for
            }
            UserIdentity who = principal == null ? RequestAudit.presented(request) : UserIdentity.of(principal);
            audit.record(RequestAudit.event(request, name, AuditEvent.SOURCE_ECR, who, params.parameters(),
                    Redaction.responseElements(result == null ? null : EcrJson.MAPPER.valueToTree(result)),
                    errorCode, errorMessage, validRepository(params.string("repositoryName")), registryId));
        } catch (RuntimeException e) {
            LOG.warn("ECR request {}: could not record audit event: {}", RequestIds.of(request), e.toString());
        }
    }

    private static String validRepository(String name) {
        if (name == null) {
            return null;
        }
        try {
            return RepositoryName.of(name).value();
        } catch (RegistryException e) {
            return null;
        }
    }

    /**
     * Parses the request, settles which registry and repository it addresses and authorizes {@code ecr:<Action>}
     * there, then runs the action. Authorization comes before any lookup, so a denied caller gets the same answer
     * whether or not the repository exists.
     */
    private <Q, R> R invoke(EcrAction<Q, R> action, Principal principal, Request request, byte[] body) {
        Q q = EcrJson.read(body, action.requestType());
        EcrTarget target = EcrTarget.of(q, principal, region);
        AccessControl.Origin origin = new AccessControl.Origin(remoteAddress(request), request.isSecure());
        if (context.access() != null && !action.authorizesItself()) {
            context.access().require(principal, "ecr:" + action.name(), target.registry(), target.repository(),
                    origin);
        }
        EcrCall call = new EcrCall(principal, target.registry(), region, endpoint(request), context, origin);
        return action.handle(call, q);
    }

    private static java.net.InetAddress remoteAddress(Request request) {
        java.net.SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof java.net.InetSocketAddress isa ? isa.getAddress() : null;
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
