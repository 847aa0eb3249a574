package io.berth.server.audit;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.http.RequestIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Builds audit events from HTTP requests, the same way on every plane: source address, user agent and the request
 * id come from the request; the caller supplies what happened. Never reads a secret out of a header: only the
 * access key ID a failed request presented (SigV4 {@code Credential=} or the Basic user name), so a forged or
 * revoked key shows up in the trail.
 */
public final class RequestAudit {
    private static final Pattern SIGV4_KEY = Pattern.compile("Credential=([A-Za-z0-9]{1,128})/");
    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_MESSAGE = 1024;

    private RequestAudit() {}

    /**
     * One event for {@code request}. {@code registryId} is the account whose resource it is; {@code errorCode}
     * null on success.
     */
    public static AuditEvent event(Request request, String eventName, String eventSource, UserIdentity who,
                                   String requestParameters, String responseElements, String errorCode,
                                   String errorMessage, String repository, String registryId) {
        return new AuditEvent(Instant.now(), eventName, eventSource, who, Request.getRemoteAddr(request),
                clip(request.getHeaders().get(HttpHeader.USER_AGENT), MAX_USER_AGENT), requestParameters,
                responseElements, errorCode, clip(errorMessage, MAX_MESSAGE), RequestIds.of(request), repository,
                registryId);
    }

    /** The identity of a request that failed authentication: anonymous, with the key it presented if any. */
    public static UserIdentity presented(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null) {
            return UserIdentity.ANONYMOUS;
        }
        Matcher m = SIGV4_KEY.matcher(auth);
        if (auth.startsWith("AWS4-HMAC-SHA256") && m.find()) {
            return UserIdentity.presented(m.group(1));
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String userPass = new String(Base64.getDecoder().decode(auth.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = userPass.indexOf(':');
                String user = colon < 0 ? null : userPass.substring(0, colon);
                // "AWS" is docker login's user for a registry token; anything else names an access key ID
                if (user != null && !user.equals("AWS") && user.matches("[A-Z0-9]{1,128}")) {
                    return UserIdentity.presented(user);
                }
            } catch (IllegalArgumentException e) {
                return UserIdentity.ANONYMOUS; // not base64: nothing presented worth recording
            }
        }
        return UserIdentity.ANONYMOUS;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
