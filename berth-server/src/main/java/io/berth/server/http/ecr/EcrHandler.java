package io.berth.server.http.ecr;

import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.server.auth.ApiRequests;
import io.berth.server.config.RegionsConfig;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.http.aws.AwsApi;
import io.berth.server.http.aws.AwsApiHandler;
import io.berth.server.http.aws.AwsCall;
import io.berth.server.http.aws.AwsJson;
import io.berth.server.http.aws.BodyBudget;
import io.berth.server.http.aws.JsonProtocol;
import io.berth.server.http.aws.SignedApiCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * ECR on the AWS API plane: the JSON 1.1 protocol by {@code X-Amz-Target} prefix over the plane's core
 * ({@link AwsApiHandler}: SigV4, body limits per operation from {@link EcrBodyLimits}, the error writer), with
 * ECR's operation table ({@link EcrActions}) and its audit record of every call.
 */
public final class EcrHandler extends Handler.Abstract {
    static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    static final JsonProtocol PROTOCOL = new JsonProtocol(TARGET_PREFIX, "application/x-amz-json-1.1",
            AwsJson.MAPPER, AwsService.ECR);

    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");

    private final AwsApiHandler plane;
    private final EcrContext context;
    private final Map<String, EcrAction<?, ?>> actions = EcrActions.all();
    private final AuditLog audit;
    private final RegionsConfig regions;

    /**
     * @param calls authenticates each call and reads its body within the per-operation limits
     * @param audit receives every call, successful or not (CloudTrail records every ECR API call too)
     * @param regions the served regions: a call addresses the registries of its SigV4 scope's region, which is in
     *                the ARNs it gets and the only one its resource ARNs may name; and the public host template
     */
    public EcrHandler(SignedApiCalls calls, EcrContext context, AuditLog audit, RegionsConfig regions) {
        this.context = context;
        this.audit = audit;
        this.regions = regions;
        this.plane = new AwsApiHandler(calls, new AwsApi("ECR", "ecr", PROTOCOL, EcrBodyLimits::of, this::answer,
                this::record));
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
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return plane.handle(request, response, callback);
    }

    private Object answer(AwsCall call, String operation) {
        EcrAction<?, ?> action = operation == null ? null : actions.get(operation);
        if (action == null) {
            String target = call.request().getHeaders().get(JsonProtocol.TARGET);
            throw new RegistryException(ErrorCode.UNKNOWN_OPERATION,
                    target == null ? "Missing X-Amz-Target header" : "Unknown operation " + target);
        }
        return invoke(operation, action, call.principal(), call.request(), call.body());
    }

    /**
     * Parses the request, settles which registry and repository it addresses and authorizes {@code ecr:<Action>}
     * there, then runs the action. Authorization comes before any lookup, so a denied caller gets the same answer
     * whether or not the repository exists.
     */
    private <Q, R> R invoke(String name, EcrAction<Q, R> action, Principal principal, Request request, byte[] body) {
        Q q = AwsJson.read(body, action.requestType());
        String signed = ApiRequests.signedRegion(request); // verified: a served region, or null when unsigned
        String region = signed != null ? signed : regions.regions().defaultRegion();
        EcrTarget target = EcrTarget.of(q, principal, region).inRegion(regions.regions(), region);
        AccessControl.Origin origin = new AccessControl.Origin(remoteAddress(request), request.isSecure());
        if (context.access() != null && !action.authorizesItself()) {
            context.access().require(principal, "ecr:" + name, target.registry(), target.repositoryValue(), origin);
        }
        String endpoint = endpoint(request);
        String publicHost = regions.host(target.registry(), region, endpoint.replaceFirst("^https?://", ""));
        return action.handle(new EcrCall(principal, target, region, endpoint, publicHost, context, origin), q);
    }

    /**
     * Records the call: the operation, the redacted request capped at 4 KiB (no manifest, no layer bytes, no
     * secrets; none at all when the body was not read) and, on success, a redacted and size-capped copy of the
     * response. The {@code repository} column gets a repositoryName only when it is a valid name, and the registry
     * a registryId only when it is 12 digits: the indexed columns never hold what a caller made up.
     */
    private void record(AwsCall call, String operation, Object result, ErrorCode error, String message) {
        String target = call.request().getHeaders().get(JsonProtocol.TARGET);
        String name = operation != null ? operation : target == null ? "Unknown" : target;
        Principal principal = call.principal();
        Redaction.RequestSummary params = Redaction.requestSummary(call.body());
        String registryId = principal != null && principal.account() != null ? principal.account().value() : null;
        String requested = params.string("registryId");
        if (requested != null && REGISTRY_ID.matcher(requested).matches()) {
            registryId = requested; // the account whose resource was asked for
        }
        UserIdentity who = principal == null ? RequestAudit.presented(call.request()) : UserIdentity.of(principal);
        audit.record(RequestAudit.event(call.request(), name, AuditEvent.SOURCE_ECR, who, params.parameters(),
                Redaction.responseElements(result == null ? null : AwsJson.MAPPER.valueToTree(result)),
                error == null ? null : error.awsType(AwsService.ECR), message,
                validRepository(params.string("repositoryName")), registryId));
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
}
