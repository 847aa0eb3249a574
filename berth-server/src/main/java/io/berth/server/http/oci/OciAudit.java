package io.berth.server.http.oci;

import io.berth.core.audit.AuditLog;
import io.berth.core.audit.Redaction;
import io.berth.core.error.ErrorCode;
import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.audit.RequestAudit;
import io.berth.server.http.QueryParameters;
import io.berth.server.http.oci.OciPath.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/**
 * What the {@code /v2/} plane puts in the audit trail, with ECR's operation names so one query covers both APIs:
 * <pre>
 *   PUT    /v2/&lt;name&gt;/manifests/&lt;ref&gt;            PutImage
 *   DELETE /v2/&lt;name&gt;/manifests/&lt;ref&gt;            BatchDeleteImage
 *   PUT    /v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;         CompleteLayerUpload
 *   POST   /v2/&lt;name&gt;/blobs/uploads/?digest= | ?mount=  CompleteLayerUpload (monolithic push, cross-repo mount)
 *   DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;            DeleteLayer     (no ECR equivalent)
 *   DELETE /v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;         CancelLayerUpload (no ECR equivalent)
 * </pre>
 * Those are recorded on success and failure. Pulls (GET/HEAD) and intermediate upload steps (POST that opens a
 * session, PATCH, status) are not events; they appear only when denied (403) or when presented credentials fail
 * (401), under the name of the ECR operation that would have done the same: BatchGetImage (manifest),
 * GetDownloadUrlForLayer (blob), ListImages (tags), DescribeRepositories (catalog), ListImageReferrers,
 * InitiateLayerUpload (POST), UploadLayerPart (PATCH, upload status) and RegistryLogin ({@code /v2/} itself).
 * A 401 without any credentials is the challenge step of every {@code docker login}/pull and is not recorded.
 */
final class OciAudit {
    private final AuditLog log;

    OciAudit(AuditLog log) {
        this.log = log;
    }

    /** The event name of a mutating route, or null when a successful request of this shape is not an event. */
    static String mutationName(String method, Kind kind, Request request) {
        return switch (kind) {
            case MANIFEST -> method.equals("PUT") ? "PutImage" : method.equals("DELETE") ? "BatchDeleteImage" : null;
            case UPLOAD -> method.equals("PUT") ? "CompleteLayerUpload"
                    : method.equals("DELETE") ? "CancelLayerUpload" : null;
            case BLOB -> method.equals("DELETE") ? "DeleteLayer" : null;
            case UPLOAD_START -> method.equals("POST") && (request.getHttpURI().getQuery() != null
                    && (query(request).get("digest") != null || query(request).get("mount") != null))
                    ? "CompleteLayerUpload" : null;
            default -> null;
        };
    }

    /** The name a denied request gets when it is not a mutation. */
    static String deniedName(String method, Kind kind) {
        return switch (kind) {
            case MANIFEST -> "BatchGetImage";
            case BLOB -> "GetDownloadUrlForLayer";
            case TAGS -> "ListImages";
            case CATALOG -> "DescribeRepositories";
            case REFERRERS -> "ListImageReferrers";
            case UPLOAD_START -> "InitiateLayerUpload";
            case UPLOAD -> "UploadLayerPart";
            case BASE -> "RegistryLogin";
            case UNKNOWN -> "Unknown";
        };
    }

    /** A mutation that succeeded; {@code response} gives the digest the server computed. */
    void succeeded(Request request, Response response, String name, OciPath path, UserIdentity who,
                   String registryId) {
        if (name.equals("CompleteLayerUpload") && response.getStatus() == 202) {
            return; // a mount that fell back to opening an upload session: nothing was pushed yet
        }
        String digest = response.getHeaders().get("Docker-Content-Digest");
        String elements = digest == null ? null : Redaction.parameters(Map.of(
                name.equals("PutImage") ? "imageDigest" : "layerDigest", digest));
        log.record(RequestAudit.event(request, name, AuditEvent.SOURCE_REGISTRY, who, parameters(request, path),
                elements, null, null, path.name(), registryId));
    }

    /**
     * A request that failed: recorded when it was a mutation, a denial, or an authentication failure with
     * credentials.
     */
    void failed(Request request, String method, OciPath path, UserIdentity who, String registryId, ErrorCode code,
                String message) {
        String name = mutationName(method, path.kind(), request);
        boolean authFailure = code.httpStatus() == 401 || code.httpStatus() == 403;
        // a request refused for a malformed query or cursor is recorded too: it is what a scanner sends
        boolean malformed = code == ErrorCode.INVALID_PARAMETER;
        if (name == null) {
            if (!malformed && (!authFailure || code.httpStatus() == 401
                    && request.getHeaders().get(HttpHeader.AUTHORIZATION) == null)) {
                return;
            }
            name = deniedName(method, path.kind());
        }
        log.record(RequestAudit.event(request, name, AuditEvent.SOURCE_REGISTRY, who, parameters(request, path),
                null, code.ociCode(), message, path.name(), registryId));
    }

    /** The request as parameters: names and digests from the path and query, sizes, never a body. */
    private static String parameters(Request request, OciPath path) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("httpMethod", request.getMethod());
        if (path.name() != null) {
            p.put("repositoryName", path.name());
        }
        String arg = path.arg();
        switch (path.kind()) {
            case MANIFEST -> {
                p.put(arg != null && arg.indexOf(':') > 0 ? "imageDigest" : "imageTag", arg);
                String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
                if (type != null) {
                    p.put("mediaType", type);
                }
            }
            case BLOB -> p.put("layerDigest", arg);
            case UPLOAD -> p.put("uploadId", arg);
            default -> { }
        }
        if (request.getHttpURI().getQuery() != null && (path.kind() == Kind.UPLOAD
                || path.kind() == Kind.UPLOAD_START)) {
            Fields q = query(request);
            putIf(p, "layerDigest", q.getValue("digest"));
            putIf(p, "mount", q.getValue("mount"));
            putIf(p, "from", q.getValue("from"));
        }
        long length = request.getLength();
        if (length >= 0 && (request.getMethod().equals("PUT") || request.getMethod().equals("POST")
                || request.getMethod().equals("PATCH"))) {
            p.put("contentLength", length);
        }
        return Redaction.parameters(p);
    }

    /** The query for the record; a malformed one (refused as INVALID_PARAMETER) is recorded without it. */
    private static Fields query(Request request) {
        return QueryParameters.parseOrEmpty(request);
    }

    private static void putIf(Map<String, Object> p, String name, String value) {
        if (value != null) {
            p.put(name, value);
        }
    }
}
