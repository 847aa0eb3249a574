package io.berth.server.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on logger {@code berth.access} (its own async appender in logback.xml, so logging never
 * waits on the console): method, path, status, bytes, milliseconds and the request id. Jetty calls this after the
 * response completed, so the numbers are final. Text by default; JSON with {@code --log-format json}.
 */
public final class AccessLog implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("berth.access");

    private final boolean json;

    public AccessLog(boolean json) { this.json = json; }

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long ms = NanoTime.millisSince(request.getBeginNanoTime());
        long bytes = Response.getContentBytesWritten(response);
        String path = request.getHttpURI().getPath();
        String remote = Request.getRemoteAddr(request);
        StringBuilder sb = new StringBuilder(128);
        if (json) {
            sb.append("{\"ts\":\"").append(java.time.Instant.now()).append("\",\"method\":\"")
                    .append(request.getMethod()).append("\",\"path\":\"");
            escape(sb, path);
            sb.append("\",\"status\":").append(response.getStatus()).append(",\"bytes\":").append(bytes)
                    .append(",\"ms\":").append(ms).append(",\"remote\":\"").append(remote)
                    .append("\",\"id\":\"").append(RequestIds.of(request)).append("\"}");
        } else {
            sb.append(remote).append(' ').append(request.getMethod()).append(' ').append(path).append(' ')
                    .append(response.getStatus()).append(' ').append(bytes).append("B ").append(ms).append("ms id=")
                    .append(RequestIds.of(request));
        }
        LOG.info(sb.toString());
    }

    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
