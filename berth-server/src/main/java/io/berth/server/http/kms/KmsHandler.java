package io.berth.server.http.kms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.kms.KeyCaller;
import io.berth.core.kms.KeyCrypto;
import io.berth.core.kms.KeyService;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.ApiRequests;
import io.berth.server.http.aws.AwsApi;
import io.berth.server.http.aws.AwsApiHandler;
import io.berth.server.http.aws.AwsCall;
import io.berth.server.http.aws.BodyLimit;
import io.berth.server.http.aws.JsonProtocol;
import io.berth.server.http.aws.SignedApiCalls;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The key service on the AWS API plane: KMS's JSON 1.1 protocol ({@code X-Amz-Target: TrentService.*}, SigV4
 * service {@code kms}) over the plane's core, with KMS's error names ({@link AwsService#KMS}), its operation table
 * ({@link KmsOperations}) and an audit record of every call. The record keeps key IDs, aliases and the encryption
 * context, as CloudTrail does, and never a plaintext, a ciphertext or a policy.
 */
public final class KmsHandler extends Handler.Abstract {
    public static final String TARGET_PREFIX = "TrentService.";
    static final JsonProtocol PROTOCOL = new JsonProtocol(TARGET_PREFIX, "application/x-amz-json-1.1",
            new ObjectMapper(), AwsService.KMS);
    /** The largest KMS body: a 32 KiB policy, or a 4 KiB plaintext in base64, with room to spare. */
    static final BodyLimit LIMIT = BodyLimit.of(64 * 1024);
    private static final List<String> AUDITED = List.of("KeyId", "AliasName", "TargetKeyId", "KeySpec",
            "NumberOfBytes", "PendingWindowInDays", "RotationPeriodInDays", "Description", "EncryptionContext");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AwsApiHandler plane;
    private final KmsOperations operations;
    private final AuditLog audit;

    public KmsHandler(SignedApiCalls calls, KeyService service, KeyCrypto crypto, AuditLog audit) {
        this.operations = new KmsOperations(service, crypto);
        this.audit = audit;
        this.plane = new AwsApiHandler(calls, new AwsApi("KMS", "kms", PROTOCOL, operation -> LIMIT, this::answer,
                this::record));
    }

    /** True for a call the routes send here. */
    public static boolean isKms(Request request) {
        String target = request.getHeaders().get(JsonProtocol.TARGET);
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    /** The operations served, for documentation and tests. */
    public List<String> operations() { return operations.names(); }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return plane.handle(request, response, callback);
    }

    private Object answer(AwsCall call, String operation) {
        // keys are regional: the caller's registry in the region the credential scope names (verified to be
        // served, so an unserved one never gets here), as KMS's regional endpoints do; the default when unsigned
        Principal p = call.principal();
        String signed = ApiRequests.signedRegion(call.request());
        Regions regions = operations.regions();
        RegistryId registry = regions.registry(p.account(), signed != null ? signed : regions.defaultRegion());
        return operations.answer(operation, new KeyCaller(p, registry), call.body());
    }

    private void record(AwsCall call, String operation, Object result, ErrorCode error, String message) {
        Principal principal = call.principal();
        String name = operation != null ? operation : "Unknown";
        UserIdentity who = principal == null ? RequestAudit.presented(call.request()) : UserIdentity.of(principal);
        String registryId = principal != null && principal.account() != null ? principal.account().value() : null;
        Object keyId = result instanceof Map<?, ?> m ? m.get("KeyId") : null;
        audit.record(RequestAudit.event(call.request(), name, AuditEvent.SOURCE_KMS, who, parameters(call.body()),
                keyId == null ? null : Redaction.parameters(Map.of("keyId", keyId)),
                error == null ? null : error.awsType(AwsService.KMS), message, null, registryId));
    }

    /** The members CloudTrail keeps for KMS calls; null when the body was not read or is not a JSON object. */
    private static String parameters(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            if (!(MAPPER.readTree(body) instanceof ObjectNode o)) {
                return null;
            }
            ObjectNode kept = MAPPER.createObjectNode();
            for (String member : AUDITED) {
                if (o.hasNonNull(member)) {
                    kept.set(member, o.get(member));
                }
            }
            String text = kept.toString();
            return text.length() <= Redaction.MAX_REQUEST_CHARS ? text : "{\"truncated\":true}";
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
