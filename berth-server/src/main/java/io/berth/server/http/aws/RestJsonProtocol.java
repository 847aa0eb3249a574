package io.berth.server.http.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.AwsService;
import io.berth.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The AWS REST-JSON protocol (Signer's): the operation is the method and the path pattern, such as
 * {@code PUT /signing-profiles/{profileName}}, known from the headers alone; the answer is the result as JSON; an
 * error is {@code {"code": <name>, "message": ...}} with {@code X-Amzn-ErrorType} (which botocore and the SDKs read
 * first) and the service's status for it.
 *
 * @param routes the operation table: method, path pattern ({@code {x}} matches one non-empty segment), name
 */
public record RestJsonProtocol(List<Route> routes, ObjectMapper mapper, AwsService errors) implements AwsProtocol {

    public record Route(String method, String pattern, String operation) {
        boolean matches(String m, String path) {
            if (!method.equals(m)) {
                return false;
            }
            String[] want = pattern.split("/", -1);
            String[] got = path.split("/", -1);
            if (want.length != got.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                boolean variable = want[i].startsWith("{");
                if (variable ? got[i].isEmpty() : !want[i].equals(got[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public String operation(Request request, byte[] body) {
        String path = request.getHttpURI().getPath();
        for (Route r : routes) {
            if (r.matches(request.getMethod(), path)) {
                return r.operation();
            }
        }
        return null;
    }

    /**
     * The path's segments after the leading {@code /}, each decoded on its own: an encoded slash ({@code %2F}, as in
     * an ARN label) stays inside its segment, as routing (on the raw path) saw it.
     */
    public static List<String> segments(Request request) {
        String path = request.getHttpURI().getPath();
        String[] raw = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
        List<String> out = new java.util.ArrayList<>(raw.length);
        for (String segment : raw) {
            try {
                out.add(java.net.URLDecoder.decode(segment.replace("+", "%2B"),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) { // a stray %: kept as sent, then refused by the operation
                out.add(segment);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public byte[] answer(AwsCall call, String operation, Object result) {
        return JsonProtocol.json(mapper, result == null ? Map.of() : result);
    }

    @Override
    public String contentType() { return "application/json"; }

    @Override
    public void writeError(Response response, Callback callback, String requestId, ErrorCode code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code.awsType(errors));
        body.put("message", message);
        JsonProtocol.writeJsonError(response, callback, mapper, code.awsStatus(errors), code.awsType(errors),
                contentType(), body);
    }
}
