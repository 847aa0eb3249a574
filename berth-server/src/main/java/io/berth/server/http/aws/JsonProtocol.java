package io.berth.server.http.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The AWS JSON protocol (1.0 and 1.1): the operation is {@code X-Amz-Target} after the service's prefix, the answer
 * is the result as JSON, and an error is {@code {"__type": <name>, "message": ...}} with {@code X-Amzn-Errortype}
 * and the status of the service's error table. SDKs dispatch on {@code __type}.
 *
 * @param targetPrefix such as {@code AmazonEC2ContainerRegistry_V20150921.}
 * @param contentType  {@code application/x-amz-json-1.1} (ECR) or {@code -1.0}
 * @param mapper       the service's JSON rules for answers and errors
 * @param errors       whose names and statuses the errors carry
 */
public record JsonProtocol(String targetPrefix, String contentType, ObjectMapper mapper, AwsService errors)
        implements AwsProtocol {
    public static final String TARGET = "X-Amz-Target";

    /** {@inheritDoc} Known from the headers alone: the target after the prefix, or null without that prefix. */
    @Override
    public String operation(Request request, byte[] body) {
        String target = request.getHeaders().get(TARGET);
        return target != null && target.startsWith(targetPrefix) ? target.substring(targetPrefix.length()) : null;
    }

    @Override
    public byte[] answer(AwsCall call, String operation, Object result) {
        return json(result);
    }

    @Override
    public void writeError(Response response, Callback callback, String requestId, ErrorCode code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("__type", code.awsType(errors));
        body.put("message", message);
        writeJsonError(response, callback, mapper, code.awsStatus(errors), code.awsType(errors), contentType, body);
    }

    /** The JSON protocols' one error writer: status, {@code X-Amzn-Errortype}, and the body as JSON. */
    static void writeJsonError(Response response, Callback callback, ObjectMapper mapper, int status, String type,
                               String contentType, Object body) {
        byte[] bytes = json(mapper, body);
        response.setStatus(status);
        response.getHeaders().put("X-Amzn-Errortype", type);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private byte[] json(Object value) {
        return json(mapper, value);
    }

    static byte[] json(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass(), e);
        }
    }
}
