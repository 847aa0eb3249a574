package io.berth.server.http.oci;

import io.berth.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The one writer of OCI errors: {@code {"errors":[{"code","message","detail"}]}} with the table's status. HEAD
 * responses carry the status and headers only. It leaves headers already set alone on purpose: a 416 keeps the
 * {@code Content-Range: bytes *}{@code /size} the blob handler put there.
 */
public final class OciErrorWriter {
    private OciErrorWriter() {}

    record ErrorBody(List<Entry> errors) {}

    record Entry(String code, String message, Object detail) {}

    public static void write(String method, Response response, Callback callback, ErrorCode code, String message,
                             Object detail) {
        // ECR-only entries have no OCI code; UNKNOWN is the spec's catch-all
        String ociCode = code.ociCode() != null ? code.ociCode() : "UNKNOWN";
        byte[] body = Json.bytes(new ErrorBody(List.of(new Entry(ociCode, message, detail == null ? Map.of() : detail))));
        response.setStatus(code.httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = HttpMethod.HEAD.is(method);
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }
}
