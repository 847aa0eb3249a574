package io.berth.server.signer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.ApiRequests;
import io.berth.server.http.QueryParameters;
import io.berth.server.http.aws.AwsApi;
import io.berth.server.http.aws.AwsApiHandler;
import io.berth.server.http.aws.AwsCall;
import io.berth.server.http.aws.BodyLimit;
import io.berth.server.http.aws.RestJsonProtocol;
import io.berth.server.http.aws.RestJsonProtocol.Route;
import io.berth.server.http.aws.SignedApiCalls;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * AWS Signer's subset on the AWS API plane: REST-JSON routed by method and path ({@link RestJsonProtocol}), signed
 * with SigV4 for {@code signer}, each call authorized as {@code signer:<Operation>} on the caller's registry and
 * recorded in the audit trail (source {@code signer.amazonaws.com}), as CloudTrail records Signer's calls.
 */
public final class SignerHandler extends Handler.Abstract {
    public static final String SOURCE = "signer.amazonaws.com";
    /** Path prefixes of the routes, for the root table. */
    public static final List<String> PREFIXES = List.of("/signing-profiles", "/signing-jobs", "/signing-platforms",
            "/tags");
    static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    static final RestJsonProtocol PROTOCOL = new RestJsonProtocol(List.of(
            new Route("PUT", "/signing-profiles/{profileName}", "PutSigningProfile"),
            new Route("GET", "/signing-profiles/{profileName}", "GetSigningProfile"),
            new Route("DELETE", "/signing-profiles/{profileName}", "CancelSigningProfile"),
            new Route("GET", "/signing-profiles", "ListSigningProfiles"),
            new Route("PUT", "/signing-profiles/{profileName}/revoke", "RevokeSigningProfile"),
            new Route("GET", "/signing-jobs/{jobId}", "DescribeSigningJob"),
            new Route("GET", "/signing-jobs", "ListSigningJobs"),
            new Route("PUT", "/signing-jobs/{jobId}/revoke", "RevokeSignature"),
            new Route("GET", "/signing-platforms", "ListSigningPlatforms"),
            new Route("GET", "/signing-platforms/{platformId}", "GetSigningPlatform"),
            new Route("POST", "/tags/{resourceArn}", "TagResource"),
            new Route("DELETE", "/tags/{resourceArn}", "UntagResource"),
            new Route("GET", "/tags/{resourceArn}", "ListTagsForResource")),
            MAPPER, AwsService.SIGNER);
    static final BodyLimit LIMIT = BodyLimit.of(64 * 1024);

    private final AwsApiHandler plane;
    private final SignerOperations operations;
    private final AccessControl access;
    private final AuditLog audit;
    private final Regions regions;

    /**
     * @param access  null under --insecure-no-auth
     * @param revoked told after each revocation (the pull verifier's cache)
     */
    public SignerHandler(SignedApiCalls calls, io.berth.core.spi.meta.MetadataStore metadata, SealedSigningKeys keys,
                         java.time.Clock clock, Regions regions, AccessControl access, AuditLog audit,
                         Runnable revoked) {
        this.regions = regions;
        this.operations = new SignerOperations(metadata, keys, clock, regions, revoked);
        this.access = access;
        this.audit = audit;
        this.plane = new AwsApiHandler(calls, new AwsApi("Signer", "signer", PROTOCOL, op -> LIMIT, this::answer,
                this::record));
    }

    /** True for the paths this handler serves. */
    public static boolean serves(String path) {
        return PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return plane.handle(request, response, callback);
    }

    private Object answer(AwsCall call, String operation) {
        if (operation == null) {
            throw new RegistryException(ErrorCode.UNKNOWN_OPERATION, "No operation for "
                    + call.request().getMethod() + " " + call.request().getHttpURI().getPath());
        }
        Principal p = call.principal();
        // each account has its own profiles and jobs in each region: the one the credential scope names (verified
        // to be served), as Signer's regional endpoints do; the default region when unsigned (no auth)
        String signed = ApiRequests.signedRegion(call.request());
        RegistryId registry = regions.registry(p.account(), signed != null ? signed : regions.defaultRegion());
        if (access != null) {
            access.require(p, "signer:" + operation, registry, null, new AccessControl.Origin(null,
                    call.request().isSecure()));
        }
        Fields q = QueryParameters.parse(call.request());
        String owner = q.getValue("profileOwner") != null ? q.getValue("profileOwner") : q.getValue("jobOwner");
        JsonNode body = body(call.body());
        if (owner == null && body.path("jobOwner").isTextual()) {
            owner = body.get("jobOwner").asText();
        }
        if (owner != null && !owner.equals(registry.value())) {
            throw new RegistryException(ErrorCode.DENIED, "Cross-account access to signing resources of " + owner
                    + " is not allowed");
        }
        List<String> path = RestJsonProtocol.segments(call.request());
        String id = path.size() > 1 ? path.get(1) : null;
        return switch (operation) {
            case "PutSigningProfile" -> operations.put(registry, id, body);
            case "GetSigningProfile" -> operations.get(registry, id);
            case "CancelSigningProfile" -> operations.cancel(registry, id);
            case "ListSigningProfiles" -> operations.list(registry, q);
            case "RevokeSigningProfile" -> operations.revokeProfile(registry, id, body, p);
            case "DescribeSigningJob" -> operations.describeJob(registry, id);
            case "ListSigningJobs" -> operations.listJobs(registry, q);
            case "RevokeSignature" -> operations.revokeSignature(registry, id, body, p);
            case "TagResource" -> operations.tags().tag(registry, id, body);
            case "UntagResource" -> operations.tags().untag(registry, id, q.getValues("tagKeys"));
            case "ListTagsForResource" -> operations.tags().list(registry, id);
            case "ListSigningPlatforms" -> SignerOperations.platforms();
            case "GetSigningPlatform" -> {
                if (!io.berth.core.signing.ImageSigning.PLATFORM.equals(id)) {
                    throw new RegistryException(ErrorCode.SIGNER_RESOURCE_NOT_FOUND, "The platform " + id
                            + " does not exist");
                }
                yield SignerOperations.platform();
            }
            default -> throw new RegistryException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation " + operation);
        };
    }

    private static JsonNode body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new RegistryException(ErrorCode.SERIALIZATION, "The request body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new RegistryException(ErrorCode.SERIALIZATION, "The request body is not valid JSON");
        }
    }

    private void record(AwsCall call, String operation, Object result, ErrorCode error, String message) {
        Principal principal = call.principal();
        String name = operation != null ? operation : "Unknown";
        UserIdentity who = principal == null ? RequestAudit.presented(call.request()) : UserIdentity.of(principal);
        // REST-JSON names its resource in the path (the profile name, the job ID): recorded with the body's members
        String params = Redaction.requestSummary(call.body()).parameters();
        List<String> path = RestJsonProtocol.segments(call.request());
        if (path.size() > 1 && !path.get(1).isEmpty()) {
            params = withPathId(params, path.get(0).equals("signing-jobs") ? "jobId"
                    : path.get(0).equals("signing-profiles") ? "profileName"
                    : path.get(0).equals("tags") ? "resourceArn" : "platformId", path.get(1));
        }
        audit.record(RequestAudit.event(call.request(), name, SOURCE, who, params,
                Redaction.responseElements(result == null ? null : MAPPER.valueToTree(result)),
                error == null ? null : error.awsType(AwsService.SIGNER), message, null,
                principal != null && principal.account() != null ? principal.account().value() : null));
    }

    private static String withPathId(String parameters, String key, String id) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode n = parameters == null ? MAPPER.createObjectNode()
                    : (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(parameters);
            n.put(key, id.length() > 256 ? id.substring(0, 256) : id);
            return MAPPER.writeValueAsString(n);
        } catch (java.io.IOException | ClassCastException e) {
            return parameters;
        }
    }
}
