package io.berth.server.http.aws;

import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The AWS Query protocol the CLI and SDKs use for STS: a form-encoded POST whose {@code Action} names the
 * operation, answered with {@code <ActionResponse><ActionResult>...} XML in the service's namespace; an error is an
 * {@code <ErrorResponse>} whose {@code Code} and status come from the service's error table.
 *
 * @param namespace such as {@code https://sts.amazonaws.com/doc/2011-06-15/}
 * @param errors    whose names and statuses the errors carry
 */
public record QueryProtocol(String namespace, AwsService errors) implements AwsProtocol {

    /** {@inheritDoc} The form's {@code Action}: unknown (null) until the body is read. */
    @Override
    public String operation(Request request, byte[] body) {
        return body == null ? null : form(body).get("Action");
    }

    @Override
    public String contentType() { return "text/xml"; }

    /**
     * {@inheritDoc} {@code result} is the ordered members of the operation's result element ({@code Map<String,
     * String>}).
     */
    @Override
    public byte[] answer(AwsCall call, String operation, Object result) {
        StringBuilder xml = new StringBuilder("<").append(operation).append("Response xmlns=\"").append(namespace)
                .append("\">\n  <").append(operation).append("Result>\n");
        ((Map<?, ?>) result).forEach((name, value) -> xml.append("    <").append(name).append('>')
                .append(escape(String.valueOf(value))).append("</").append(name).append(">\n"));
        xml.append("  </").append(operation).append("Result>\n  <ResponseMetadata>\n    <RequestId>")
                .append(call.requestId()).append("</RequestId>\n  </ResponseMetadata>\n</").append(operation)
                .append("Response>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void writeError(Response response, Callback callback, String requestId, ErrorCode code, String message) {
        String type = code.serverFault() ? "Receiver" : "Sender";
        byte[] bytes = ("<ErrorResponse xmlns=\"" + namespace + "\">\n  <Error>\n    <Type>" + type
                + "</Type>\n    <Code>" + code.awsType(errors) + "</Code>\n    <Message>" + escape(message)
                + "</Message>\n  </Error>\n  <RequestId>" + requestId + "</RequestId>\n</ErrorResponse>\n")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(code.awsStatus(errors));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
