package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one writer of ECR API errors: {@code {"__type": <ecrType>, "message": ...}} plus {@code X-Amzn-Errortype},
 * with the status from {@link ErrorCode#ecrStatus()} (400 for client faults, 500 for ServerException). SDKs
 * dispatch on {@code __type}.
 */
public final class EcrErrorWriter {
    private EcrErrorWriter() {}

    public static void write(Response response, Callback callback, ErrorCode code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("__type", code.ecrType());
        body.put("message", message);
        byte[] bytes = EcrJson.write(body);
        response.setStatus(code.ecrStatus());
        response.getHeaders().put("X-Amzn-Errortype", code.ecrType());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, EcrHandler.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
