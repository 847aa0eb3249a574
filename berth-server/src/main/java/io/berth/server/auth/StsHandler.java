package io.berth.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.audit.AuditLog;
import io.berth.core.auth.Principal;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.audit.RequestAudit;
import io.berth.server.http.aws.AwsApi;
import io.berth.server.http.aws.AwsApiHandler;
import io.berth.server.http.aws.AwsAudit;
import io.berth.server.http.aws.AwsCall;
import io.berth.server.http.aws.BodyLimit;
import io.berth.server.http.aws.JsonProtocol;
import io.berth.server.http.aws.QueryProtocol;
import io.berth.server.http.aws.SignedApiCalls;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * STS on the AWS API plane: its one action registry clients need, {@code GetCallerIdentity}, so {@code aws sts
 * get-caller-identity --endpoint-url …} works. Answers on the Query protocol the CLI and SDKs use (form in, XML out,
 * with STS's own error names: {@link AwsService#STS}) and on the JSON protocol
 * ({@code X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity}), whose errors carry the JSON
 * protocol's names: the error table's own AWS column, as ECR's do.
 */
public final class StsHandler extends Handler.Abstract {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** STS's request bodies are tiny forms; 64 KiB is far more than GetCallerIdentity needs. */
    static final BodyLimit LIMIT = BodyLimit.of(64 * 1024);
    static final JsonProtocol JSON = new JsonProtocol(ApiRequests.STS_TARGET_PREFIX, "application/x-amz-json-1.0",
            new ObjectMapper(), AwsService.ECR);
    static final QueryProtocol QUERY = new QueryProtocol(NAMESPACE, AwsService.STS);

    private final Identities identities; // null under --insecure-no-auth (no user IDs to look up)
    private final AwsApiHandler query;
    private final AwsApiHandler json;

    /**
     * @param calls authenticates each call before its body is read, then reads it (at most 64 KiB)
     * @param identities null under --insecure-no-auth (no user IDs to look up)
     * @param audit receives authentication failures (successful GetCallerIdentity calls are reads: not events)
     */
    public StsHandler(SignedApiCalls calls, Identities identities, AuditLog audit) {
        this.identities = identities;
        AwsAudit denials = (call, operation, result, error, message) -> recordDenial(audit, call, error, message);
        this.query = new AwsApiHandler(calls, new AwsApi("STS", "sts", QUERY, operation -> LIMIT, this::answer,
                denials));
        this.json = new AwsApiHandler(calls, new AwsApi("STS", "sts", JSON, operation -> LIMIT, this::answer,
                denials));
    }

    /** The routes send STS calls here ({@link ApiRequests#isSts}): a JSON target, else a Query form. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return (request.getHeaders().get(JsonProtocol.TARGET) != null ? json : query)
                .handle(request, response, callback);
    }

    /** The operation table: GetCallerIdentity alone. */
    private Object answer(AwsCall call, String operation) {
        if (!"GetCallerIdentity".equals(operation)) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "Could not find operation " + operation
                    + " for version 2011-06-15");
        }
        Principal p = call.principal();
        Map<String, String> out = new LinkedHashMap<>(); // in the order of STS's XML answer
        out.put("Arn", p.arn());
        out.put("UserId", identities == null ? p.account().value() : identities.userIdOf(p));
        out.put("Account", p.account().value());
        return out;
    }

    private static void recordDenial(AuditLog audit, AwsCall call, ErrorCode error, String message) {
        if (error != null && (error.httpStatus() == 401 || error.httpStatus() == 403)) {
            audit.record(RequestAudit.event(call.request(), "GetCallerIdentity", AuditEvent.SOURCE_STS,
                    RequestAudit.presented(call.request()), null, null, error.awsType(AwsService.ECR), message,
                    null, null));
        }
    }
}
