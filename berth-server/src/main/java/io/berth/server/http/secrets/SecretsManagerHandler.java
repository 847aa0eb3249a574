package io.berth.server.http.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.secrets.SecretValue;
import io.berth.core.secrets.Secrets;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.ApiRequests;
import io.berth.server.http.aws.AwsApi;
import io.berth.server.http.aws.AwsApiHandler;
import io.berth.server.http.aws.AwsCall;
import io.berth.server.http.aws.AwsJson;
import io.berth.server.http.aws.BodyLimit;
import io.berth.server.http.aws.JsonProtocol;
import io.berth.server.http.aws.SignedApiCalls;
import io.berth.server.http.secrets.SecretsManagerShapes.CreateRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.CreateResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.DeleteRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.DeleteResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.GetValueRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.GetValueResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.ListRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.ListResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.PutRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.PutResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.RestoreResponse;
import io.berth.server.http.secrets.SecretsManagerShapes.SecretIdRequest;
import io.berth.server.http.secrets.SecretsManagerShapes.Tag;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Secrets Manager subset on the AWS API plane ({@code X-Amz-Target: secretsmanager.*}, JSON 1.1, signed for
 * {@code secretsmanager}): CreateSecret, PutSecretValue, DescribeSecret, ListSecrets, DeleteSecret, RestoreSecret
 * and GetSecretValue, so {@code aws secretsmanager create-secret --endpoint-url …} stores a pull-through cache
 * rule's credentials. Each call is authorized as {@code secretsmanager:<Operation>} in the caller's account through
 * the policy engine; values are read only by the secret's creator ({@link Secrets#value}). Every call is audited,
 * without values.
 */
public final class SecretsManagerHandler extends Handler.Abstract {
    public static final String TARGET_PREFIX = "secretsmanager.";
    static final ObjectMapper MAPPER = AwsJson.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE).build();
    static final JsonProtocol PROTOCOL = new JsonProtocol(TARGET_PREFIX, "application/x-amz-json-1.1", MAPPER,
            AwsService.SECRETS_MANAGER);
    /** A value is at most 64 KiB, as base64 in JSON with the other members: 128 KiB is ample. */
    static final BodyLimit LIMIT = BodyLimit.of(128 * 1024);
    private static final Set<String> OPERATIONS = Set.of("CreateSecret", "PutSecretValue", "DescribeSecret",
            "ListSecrets", "DeleteSecret", "RestoreSecret", "GetSecretValue");
    private static final String TOKEN_KIND = "secrets:";

    private final AwsApiHandler plane;
    private final Secrets secrets;
    private final AccessControl access;
    private final AuditLog audit;
    private final Regions regions;

    /** @param access null under --insecure-no-auth (every call is the default root's) */
    public SecretsManagerHandler(SignedApiCalls calls, Secrets secrets, AccessControl access, AuditLog audit,
                                 Regions regions) {
        this.secrets = secrets;
        this.access = access;
        this.audit = audit;
        this.regions = regions;
        this.plane = new AwsApiHandler(calls, new AwsApi("SecretsManager", "secretsmanager", PROTOCOL,
                operation -> LIMIT, this::answer, this::record));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return plane.handle(request, response, callback);
    }

    private Object answer(AwsCall call, String operation) {
        if (operation == null || !OPERATIONS.contains(operation)) {
            throw new RegistryException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation "
                    + call.request().getHeaders().get(JsonProtocol.TARGET));
        }
        Principal p = call.principal();
        // each account has its own secrets in each region: the one the credential scope names (verified to be
        // served), as Secrets Manager's regional endpoints do; the default region when unsigned (no auth)
        String signed = ApiRequests.signedRegion(call.request());
        String region = signed != null ? signed : regions.defaultRegion();
        RegistryId registry = regions.registry(p.account(), region);
        if (access != null) {
            access.require(p, "secretsmanager:" + operation, registry, null, origin(call.request()));
        }
        byte[] body = call.body();
        return switch (operation) {
            case "CreateSecret" -> create(p, registry, AwsJson.read(MAPPER, body, CreateRequest.class));
            case "PutSecretValue" -> put(registry, AwsJson.read(MAPPER, body, PutRequest.class));
            case "DescribeSecret" -> describe(registry, region, AwsJson.read(MAPPER, body, SecretIdRequest.class));
            case "ListSecrets" -> list(registry, AwsJson.read(MAPPER, body, ListRequest.class));
            case "DeleteSecret" -> delete(registry, AwsJson.read(MAPPER, body, DeleteRequest.class));
            case "RestoreSecret" -> restore(registry, AwsJson.read(MAPPER, body, SecretIdRequest.class));
            default -> value(p, registry, AwsJson.read(MAPPER, body, GetValueRequest.class));
        };
    }

    private CreateResponse create(Principal p, RegistryId registry, CreateRequest q) {
        SecretsInput.length("Name", SecretsInput.required("Name", q.name()), 1, 512);
        SecretsInput.length("Description", q.description(), 0, 2048);
        SecretsInput.length("KmsKeyId", q.kmsKeyId(), 0, 2048);
        SecretsInput.token(q.clientRequestToken());
        if (q.addReplicaRegions() != null && !q.addReplicaRegions().isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Berth does not replicate secrets to other "
                    + "regions: AddReplicaRegions is not supported");
        }
        SecretValue value = SecretsInput.value(q.secretString(), q.secretBinary(), false);
        String tags = tagsJson(q.tags());
        Secrets.Versioned v = secrets.create(p, registry, q.name(), q.description(), q.kmsKeyId(), tags, value,
                q.clientRequestToken());
        return new CreateResponse(v.secret().arn(), v.secret().name(), v.versionId());
    }

    private PutResponse put(RegistryId registry, PutRequest q) {
        String id = SecretsInput.secretId(q.secretId());
        SecretsInput.token(q.clientRequestToken());
        if (q.versionStages() != null && !q.versionStages().equals(List.of("AWSCURRENT"))) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Berth keeps the AWSCURRENT and AWSPREVIOUS "
                    + "labels only: VersionStages may only be [\"AWSCURRENT\"]");
        }
        SecretValue value = SecretsInput.value(q.secretString(), q.secretBinary(), true);
        Secrets.Versioned v = secrets.put(registry, id, value, q.clientRequestToken());
        return new PutResponse(v.secret().arn(), v.secret().name(), v.versionId(), List.of("AWSCURRENT"));
    }

    private SecretsManagerShapes.Described describe(RegistryId registry, String region, SecretIdRequest q) {
        Secrets.Described d = secrets.describe(registry, SecretsInput.secretId(q.secretId()));
        return SecretsManagerShapes.described(d, tags(d.secret().tagsJson()), region, false);
    }

    private ListResponse list(RegistryId registry, ListRequest q) {
        int limit = q.maxResults() == null ? 100 : q.maxResults();
        if (limit < 1 || limit > 100) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "MaxResults must be between 1 and 100");
        }
        if (q.sortOrder() != null && !List.of("asc", "desc").contains(q.sortOrder())) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "SortOrder must be asc or desc");
        }
        String prefix = SecretsInput.namePrefix(q.filters());
        String after = decodeToken(q.nextToken());
        List<Secrets.Described> page = secrets.list(registry, after, limit + 1,
                Boolean.TRUE.equals(q.includePlannedDeletion()), prefix);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = encodeToken(page.get(limit - 1).secret().name());
        }
        return new ListResponse(page.stream().map(d -> SecretsManagerShapes.described(d,
                tags(d.secret().tagsJson()), null, true)).toList(), next);
    }

    private DeleteResponse delete(RegistryId registry, DeleteRequest q) {
        var s = secrets.delete(registry, SecretsInput.secretId(q.secretId()), q.recoveryWindowInDays(),
                Boolean.TRUE.equals(q.forceDeleteWithoutRecovery()));
        return new DeleteResponse(s.arn(), s.name(), SecretsManagerShapes.epoch(s.deletionDate()));
    }

    private RestoreResponse restore(RegistryId registry, SecretIdRequest q) {
        var s = secrets.restore(registry, SecretsInput.secretId(q.secretId()));
        return new RestoreResponse(s.arn(), s.name());
    }

    private GetValueResponse value(Principal p, RegistryId registry, GetValueRequest q) {
        Secrets.Read r = secrets.value(p, registry, SecretsInput.secretId(q.secretId()), q.versionId(),
                q.versionStage());
        return new GetValueResponse(r.secret().arn(), r.secret().name(), r.version().versionId(),
                r.value().binary(), r.value().string(),
                r.version().stage() == null ? List.of() : List.of(r.version().stage()),
                SecretsManagerShapes.epoch(r.version().createdAt()));
    }

    private static String tagsJson(List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        if (tags.size() > 50) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "A secret can have at most 50 tags");
        }
        try {
            return MAPPER.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Tag> tags(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, new TypeReference<List<Tag>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags do not parse", e);
        }
    }

    private static String encodeToken(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_KIND + name)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_KIND) && text.length() > TOKEN_KIND.length()) {
                return text.substring(TOKEN_KIND.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw new RegistryException(ErrorCode.INVALID_PARAMETER, "Invalid NextToken");
    }

    private static AccessControl.Origin origin(Request request) {
        var a = request.getConnectionMetaData().getRemoteSocketAddress();
        InetAddress ip = a instanceof InetSocketAddress isa ? isa.getAddress() : null;
        return new AccessControl.Origin(ip, request.isSecure());
    }

    /** CloudTrail-like: every call, its redacted parameters (never SecretString or SecretBinary) and outcome. */
    private void record(AwsCall call, String operation, Object result, ErrorCode error, String message) {
        String target = call.request().getHeaders().get(JsonProtocol.TARGET);
        String name = operation != null ? operation : target == null ? "Unknown" : target;
        Principal principal = call.principal();
        Redaction.RequestSummary params = Redaction.requestSummary(call.body());
        UserIdentity who = principal == null ? RequestAudit.presented(call.request()) : UserIdentity.of(principal);
        String account = principal != null && principal.account() != null ? principal.account().value() : null;
        audit.record(RequestAudit.event(call.request(), name, AuditEvent.SOURCE_SECRETS_MANAGER, who,
                params.parameters(), null, error == null ? null : error.awsType(AwsService.SECRETS_MANAGER),
                message, null, account));
    }
}
