package io.berth.server.http.oci;

import io.berth.core.audit.AuditEvent.UserIdentity;
import io.berth.core.audit.AuditLog;
import io.berth.core.audit.PullCounts;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.service.RegistryService;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.RegistryGate;
import io.berth.server.http.RequestIds;
import io.berth.server.http.oci.OciPath.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI Distribution plane ({@code /v2/}): the facade over the package-private endpoint classes. It owns the
 * route table and the plane's one catch-all, which turns anything but a {@link RegistryException} into INTERNAL.
 */
public final class OciHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(OciHandler.class);
    private static final HttpField API_VERSION =
            new PreEncodedHttpField("Docker-Distribution-API-Version", "registry/2.0");
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    interface Endpoint {
        void handle(Exchange ex) throws Exception;
    }

    /** One row of the route table. */
    record Route(String method, Kind kind, Endpoint endpoint) {}

    private final List<Route> table;
    private final Map<Kind, Map<String, Endpoint>> routes = new EnumMap<>(Kind.class);
    private final Function<RegistryId, RegistryService> services;
    private final RegistryGate gate; // null: one open registry (tests with a service fake)
    private final OciAudit audit;
    private final PullCounts pulls;

    /** One open registry, no authentication: for tests that drive the HTTP plane over a service fake. */
    public OciHandler(RegistryService service) {
        this(id -> service, null);
    }

    /**
     * @param services the data plane per registry, e.g. {@code RegistryServices::forRegistry}
     * @param gate authenticates each request and says which registry it addresses
     */
    public OciHandler(Function<RegistryId, RegistryService> services, RegistryGate gate) {
        this(services, gate, AuditLog.NONE, new PullCounts());
    }

    /**
     * @param audit receives pushes, deletes and denials (see {@link OciAudit} for the event names)
     * @param pulls counts manifest GETs per repository (pulls are not audit events)
     */
    public OciHandler(Function<RegistryId, RegistryService> services, RegistryGate gate, AuditLog audit,
                      PullCounts pulls) {
        this.services = services;
        this.gate = gate;
        this.audit = new OciAudit(audit);
        this.pulls = pulls;
        BlobEndpoints blobs = new BlobEndpoints();
        UploadEndpoints uploads = new UploadEndpoints();
        ManifestEndpoints manifests = new ManifestEndpoints();
        ListingEndpoints listings = new ListingEndpoints();
        table = List.of(
                new Route("GET", Kind.BASE, ex -> ex.send(200, "application/json", EMPTY_OBJECT)),
                new Route("HEAD", Kind.BASE, ex -> ex.send(200, "application/json", EMPTY_OBJECT)),
                new Route("GET", Kind.CATALOG, listings::catalog),
                new Route("GET", Kind.BLOB, blobs::get),
                new Route("HEAD", Kind.BLOB, blobs::get),
                new Route("DELETE", Kind.BLOB, blobs::delete),
                new Route("POST", Kind.UPLOAD_START, uploads::start),
                new Route("GET", Kind.UPLOAD, uploads::status),
                new Route("PATCH", Kind.UPLOAD, uploads::patch),
                new Route("PUT", Kind.UPLOAD, uploads::put),
                new Route("DELETE", Kind.UPLOAD, uploads::cancel),
                new Route("GET", Kind.MANIFEST, manifests::get),
                new Route("HEAD", Kind.MANIFEST, manifests::get),
                new Route("PUT", Kind.MANIFEST, manifests::put),
                new Route("DELETE", Kind.MANIFEST, manifests::delete),
                new Route("GET", Kind.TAGS, listings::tags),
                new Route("GET", Kind.REFERRERS, listings::referrers));
        for (Route r : table) {
            routes.computeIfAbsent(r.kind(), k -> new LinkedHashMap<>()).put(r.method(), r.endpoint());
        }
    }

    /** The route table as {@code METHOD pattern} lines, for documentation and tests. */
    public List<String> describeRoutes() {
        List<String> out = new ArrayList<>();
        table.forEach(r -> out.add(r.method() + " " + r.kind().pattern));
        return out;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(API_VERSION);
        String method = request.getMethod();
        OciPath path = OciPath.parse(request.getHttpURI().getPath());
        RegistryId registry = null;
        Principal principal = null;
        try {
            // authentication first, so an anonymous caller learns nothing about which paths exist
            RegistryGate.Admission admission = gate == null
                    ? new RegistryGate.Admission(RegistryId.DEFAULT, Principal.ANONYMOUS)
                    : gate.admission(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                            request.getHttpURI().getHost());
            registry = admission.registry();
            principal = admission.principal();
            Map<String, Endpoint> byMethod = routes.get(path.kind());
            if (byMethod == null) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "no such resource under /v2/");
            }
            Endpoint endpoint = byMethod.get(method);
            if (endpoint == null) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", byMethod.keySet()));
                throw new RegistryException(ErrorCode.UNSUPPORTED,
                        method + " is not supported on " + path.kind().pattern);
            }
            endpoint.handle(new Exchange(request, response, callback, path, services.apply(registry)));
            afterSuccess(request, response, method, path, principal, registry);
        } catch (RegistryException e) {
            if (e.code().serverFault()) {
                LOG.error("request {} {} {}: {}", RequestIds.of(request), method, request.getHttpURI().getPath(),
                        e.getMessage(), e);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("request {} {} {}: {} {}", RequestIds.of(request), method, request.getHttpURI().getPath(),
                        e.code(), e.getMessage());
            }
            if (e instanceof RegistryGate.DeniedException d) {
                principal = d.principal();
            }
            fail(request, response, callback, e.code(), e.getMessage(), e.detail(), e);
            afterFailure(request, method, path, principal, registry, e.code(), e.getMessage());
        } catch (EofException | BadMessageException e) {
            // the client cut the body off or sent a malformed one: its fault, not a 500
            LOG.debug("request {} {} {}: client error {}", RequestIds.of(request), method,
                    request.getHttpURI().getPath(), e.toString());
            fail(request, response, callback, ErrorCode.BLOB_UPLOAD_INVALID, "request body incomplete or malformed",
                    null, e);
            afterFailure(request, method, path, principal, registry, ErrorCode.BLOB_UPLOAD_INVALID, e.toString());
        } catch (Throwable t) { // the plane's one catch-all
            LOG.error("request {} {} {} failed", RequestIds.of(request), method, request.getHttpURI().getPath(), t);
            fail(request, response, callback, ErrorCode.INTERNAL, "internal error (request " + RequestIds.of(request)
                    + ")", null, t);
            afterFailure(request, method, path, principal, registry, ErrorCode.INTERNAL, t.toString());
        }
        return true;
    }

    /** Counts a pull or records a push/delete. The audit trail must never fail a request that succeeded. */
    private void afterSuccess(Request request, Response response, String method, OciPath path, Principal principal,
                              RegistryId registry) {
        try {
            if (path.kind() == Kind.MANIFEST && method.equals("GET")) {
                pulls.pulled(registry.value(), path.name());
                return;
            }
            String name = OciAudit.mutationName(method, path.kind(), request);
            if (name != null) {
                audit.succeeded(request, response, name, path, UserIdentity.of(principal), registry.value());
            }
        } catch (RuntimeException e) {
            LOG.warn("request {}: could not record audit event: {}", RequestIds.of(request), e.toString());
        }
    }

    private void afterFailure(Request request, String method, OciPath path, Principal principal, RegistryId registry,
                              ErrorCode code, String message) {
        try {
            UserIdentity who = principal == null ? RequestAudit.presented(request) : UserIdentity.of(principal);
            String registryId = registry != null ? registry.value()
                    : gate != null ? gate.registryOf(request.getHttpURI().getHost()).value() : null;
            audit.failed(request, method, path, who, registryId, code, message);
        } catch (RuntimeException e) {
            LOG.warn("request {}: could not record audit event: {}", RequestIds.of(request), e.toString());
        }
    }

    private static void fail(Request request, Response response, Callback callback, ErrorCode code, String message,
                             Object detail, Throwable cause) {
        if (response.isCommitted()) {
            callback.failed(cause); // headers are out: all we can do is abort the connection
            return;
        }
        discardSmallBody(request);
        if (code.httpStatus() == 401) {
            // ECR's challenge: docker and other clients answer it with Basic credentials (docker login)
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + request.getHttpURI().getScheme()
                    + "://" + request.getHttpURI().getAuthority() + "/\",service=\"ecr.amazonaws.com\"");
        }
        OciErrorWriter.write(request.getMethod(), response, callback, code, message, detail);
    }

    /** Bodies up to this size are read and dropped before an error answer, so the connection stays usable. */
    private static final long DISCARDABLE_BODY_BYTES = 64 * 1024;

    /**
     * An error often answers a request whose body the endpoint never read (a refused chunk, an unknown upload).
     * Jetty then closes the connection, and a client that already reuses it for its next request sees a reset
     * instead of an answer. A small body is cheap to read and drop; a large one is not worth reading, and there the
     * close is right.
     */
    private static void discardSmallBody(Request request) {
        long length = request.getLength();
        if (length > 0 && length <= DISCARDABLE_BODY_BYTES) {
            try {
                org.eclipse.jetty.io.Content.Source.consumeAll(request);
            } catch (java.io.IOException e) {
                LOG.debug("request {}: could not discard the body before an error answer: {}", request.getId(),
                        e.toString());
            }
        }
    }
}
