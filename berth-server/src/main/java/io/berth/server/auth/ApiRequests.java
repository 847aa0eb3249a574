package io.berth.server.auth;

import io.berth.server.auth.Authenticator.ApiRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/** Builds {@link ApiRequest}s from Jetty requests, and tells which AWS service a call is signed for. */
public final class ApiRequests {
    /** STS's JSON-protocol target prefix. */
    public static final String STS_TARGET_PREFIX = "AWSSecurityTokenServiceV20110615.";

    private ApiRequests() {}

    /**
     * The request as SigV4 sees it. {@code host} is always present: HTTP/2 sends {@code :authority} instead, which
     * the SDKs sign as {@code host}.
     */
    public static ApiRequest from(Request request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue());
        }
        if (!headers.containsKey("host") && request.getHttpURI().getAuthority() != null) {
            headers.put("host", List.of(request.getHttpURI().getAuthority()));
        }
        return new ApiRequest(request.getMethod(), rawPath(request), request.getHttpURI().getQuery(), headers, body,
                Request.getRemoteAddr(request));
    }

    /**
     * The region of the SigV4 credential scope ({@code Credential=<key>/<date>/<region>/…} in the Authorization
     * header, or {@code X-Amz-Credential}), which selects the registries an ECR call addresses; null when the
     * request is unsigned (only without authentication). Read after the verifier accepted the scope.
     */
    public static String signedRegion(Request request) {
        String credential = null;
        String header = request.getHeaders().get("Authorization");
        if (header != null) {
            int at = header.indexOf("Credential=");
            if (at >= 0) {
                int end = header.indexOf(',', at);
                credential = header.substring(at + "Credential=".length(), end < 0 ? header.length() : end).trim();
            }
        } else {
            credential = org.eclipse.jetty.server.Request.extractQueryParameters(request).getValue("X-Amz-Credential");
        }
        if (credential == null) {
            return null;
        }
        String[] parts = credential.split("/");
        return parts.length == 5 ? parts[2] : null;
    }

    /** The path as sent, still percent-encoded: SigV4 encodes it once more. */
    private static String rawPath(Request request) {
        String p = request.getHttpURI().getPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    /** {@code kms} for key service calls, {@code sts} for STS calls (JSON target or a query form), else {@code ecr}. */
    public static String signingService(ApiRequest request) {
        String target = first(request.headers(), "x-amz-target");
        if (target != null && target.startsWith("TrentService.")) {
            return "kms";
        }
        return isSts(first(request.headers(), "x-amz-target"), first(request.headers(), "content-type")) ? "sts"
                : "ecr";
    }

    /**
     * True for an STS call: the JSON protocol's {@code X-Amz-Target} prefix, or a form-encoded body (the query
     * protocol the AWS CLI uses). ECR only ever sends JSON, so the form content type alone is unambiguous.
     */
    public static boolean isSts(String target, String contentType) {
        if (target != null) {
            return target.startsWith(STS_TARGET_PREFIX);
        }
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
