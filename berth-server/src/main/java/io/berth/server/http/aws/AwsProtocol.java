package io.berth.server.http.aws;

import io.berth.core.error.ErrorCode;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A wire format of the AWS API plane: where a call names its operation, how an answer is encoded and the one writer
 * of its errors. AWS services do not share one, so each format is an adapter on the same core
 * ({@link AwsApiHandler}):
 * <ul>
 *   <li>{@link JsonProtocol}: JSON 1.0/1.1, the operation in {@code X-Amz-Target} after a per-service prefix (ECR;
 *       then KMS {@code TrentService.} and Secrets Manager {@code secretsmanager.} with their own tables);</li>
 *   <li>{@link QueryProtocol}: a form-encoded POST naming its {@code Action=}, answered in XML (STS);</li>
 *   <li>REST-JSON, the operation in the method and path ({@code PUT /signing-profiles/{name}}): Signer's, to come
 *       as a third implementation routed by path, with the signing issue.</li>
 * </ul>
 */
public interface AwsProtocol {

    /**
     * The operation the call names, or null when it names none. {@code body} is null before the body is read: a
     * protocol that names it in the headers answers then (the operation's body limit depends on it), one that
     * names it in the body answers null until it has the body.
     */
    String operation(Request request, byte[] body);

    /** The answer's body. */
    byte[] answer(AwsCall call, String operation, Object result);

    /** The answer's content type. */
    String contentType();

    /** Writes {@code code} as this wire format spells errors; the one error writer of the format. */
    void writeError(Response response, Callback callback, String requestId, ErrorCode code, String message);
}
