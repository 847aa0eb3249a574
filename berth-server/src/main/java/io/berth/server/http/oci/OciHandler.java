package io.berth.server.http.oci;

import io.berth.core.audit.AuditLog;
import io.berth.core.audit.PullCounts;
import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.service.RegistryService;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.server.access.AccessControl.Origin;
import io.berth.server.audit.RequestAudit;
import io.berth.server.auth.RegistryGate;
import io.berth.server.auth.RegistryGate.Caller;
import io.berth.server.http.RequestIds;
import io.berth.server.http.oci.OciPath.Kind;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.metrics.RequestLabels;
import io.berth.server.throttling.Throttle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
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
    /** The metrics' api label of this plane. */
    private static final String API_LABEL = "oci";

    interface Endpoint {
        void handle(Exchange ex) throws Exception;
    }

    /**
     * One row of the route table. {@code action} is the ECR action the request needs, as ECR's own {@code /v2/}
     * proxy maps it (see {@link io.berth.core.policy.PolicyEvaluator}); null where the endpoint decides itself
     * (the base check needs only a known caller; {@code _catalog} filters by {@code ecr:DescribeRepositories}).
     */
    record Route(String method, Kind kind, Endpoint endpoint, String action) {}

    /** @param operation the metrics label and quota name: the ECR action without {@code ecr:}, or the kind */
    private record Target(Endpoint endpoint, String action, String operation) {}

    private static final Caller OPEN = new Caller(io.berth.core.auth.Principal.root(RegistryId.DEFAULT, null),
            RegistryId.DEFAULT);

    private final List<Route> table;
    private final Map<Kind, Map<String, Target>> routes = new EnumMap<>(Kind.class);
    private final Function<RegistryId, RegistryService> services;
    private final RegistryGate gate; // null: one open registry (tests with a service fake)
    private final OciAudit audit;
    private final PullCounts pulls;
    private final Throttle throttle;

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
        this(services, gate, audit, pulls, PageCursors.ephemeral());
    }

    /** @param cursors seals catalog positions the caller may not see (one key for every node of a deployment) */
    public OciHandler(Function<RegistryId, RegistryService> services, RegistryGate gate, AuditLog audit,
                      PullCounts pulls, PageCursors cursors) {
        this(services, gate, audit, pulls, cursors, io.berth.core.signing.PullGate.OPEN);
    }

    /** @param pullGate asked before a manifest GET or HEAD hands a manifest out (verification on pull) */
    public OciHandler(Function<RegistryId, RegistryService> services, RegistryGate gate, AuditLog audit,
                      PullCounts pulls, PageCursors cursors, io.berth.core.signing.PullGate pullGate) {
        this(services, gate, audit, pulls, cursors, pullGate, Throttle.OFF);
    }

    /** @param throttle the request quotas, charged to the addressed account under the route's ECR action */
    public OciHandler(Function<RegistryId, RegistryService> services, RegistryGate gate, AuditLog audit,
                      PullCounts pulls, PageCursors cursors, io.berth.core.signing.PullGate pullGate,
                      Throttle throttle) {
        this.throttle = throttle;
        this.services = services;
        this.gate = gate;
        this.audit = new OciAudit(audit);
        this.pulls = pulls;
        BlobEndpoints blobs = new BlobEndpoints(pullGate);
        UploadEndpoints uploads = new UploadEndpoints();
        ManifestEndpoints manifests = new ManifestEndpoints(pullGate);
        ListingEndpoints listings = new ListingEndpoints(cursors);
        table = List.of(
                new Route("GET", Kind.BASE, ex -> ex.send(200, "application/json", EMPTY_OBJECT), null),
                new Route("HEAD", Kind.BASE, ex -> ex.send(200, "application/json", EMPTY_OBJECT), null),
                new Route("GET", Kind.CATALOG, listings::catalog, null),
                new Route("GET", Kind.BLOB, blobs::get, "ecr:GetDownloadUrlForLayer"),
                new Route("HEAD", Kind.BLOB, blobs::get, "ecr:BatchCheckLayerAvailability"),
                new Route("DELETE", Kind.BLOB, blobs::delete, "ecr:BatchDeleteImage"),
                new Route("POST", Kind.UPLOAD_START, uploads::start, "ecr:InitiateLayerUpload"),
                new Route("GET", Kind.UPLOAD, uploads::status, "ecr:UploadLayerPart"),
                new Route("PATCH", Kind.UPLOAD, uploads::patch, "ecr:UploadLayerPart"),
                new Route("PUT", Kind.UPLOAD, uploads::put, "ecr:CompleteLayerUpload"),
                new Route("DELETE", Kind.UPLOAD, uploads::cancel, "ecr:UploadLayerPart"),
                new Route("GET", Kind.MANIFEST, manifests::get, "ecr:BatchGetImage"),
                new Route("HEAD", Kind.MANIFEST, manifests::get, "ecr:BatchGetImage"),
                new Route("PUT", Kind.MANIFEST, manifests::put, "ecr:PutImage"),
                new Route("DELETE", Kind.MANIFEST, manifests::delete, "ecr:BatchDeleteImage"),
                new Route("GET", Kind.TAGS, listings::tags, "ecr:ListImages"),
                new Route("GET", Kind.REFERRERS, listings::referrers, "ecr:BatchGetImage"));
        for (Route r : table) {
            String operation = r.action() != null ? r.action().substring(r.action().indexOf(':') + 1)
                    : r.kind().name().toLowerCase(java.util.Locale.ROOT);
            routes.computeIfAbsent(r.kind(), k -> new LinkedHashMap<>()).put(r.method(),
                    new Target(r.endpoint(), r.action(), operation));
        }
    }

    /** The route table as {@code METHOD pattern} lines, for documentation and tests. */
    public List<String> describeRoutes() {
        List<String> out = new ArrayList<>();
        table.forEach(r -> out.add(r.method() + " " + r.kind().pattern));
        return out;
    }

    /** {@code METHOD pattern} to the ECR action it needs (absent where the endpoint decides), for tests. */
    public Map<String, String> actionTable() {
        Map<String, String> out = new LinkedHashMap<>();
        table.stream().filter(r -> r.action() != null)
                .forEach(r -> out.put(r.method() + " " + r.kind().pattern, r.action()));
        return out;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(API_VERSION);
        RequestLabels.api(request, API_LABEL);
        String method = request.getMethod();
        OciPath path = OciPath.parse(request.getHttpURI().getPath());
        RegistryId registry = null;
        Principal principal = null;
        try {
            // authentication first; a caller without credentials goes on as anonymous, to policy evaluation
            Caller caller = gate == null ? OPEN : gate.admit(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    request.getHttpURI().getHost());
            registry = caller.registry();
            principal = caller.principal();
            Map<String, Target> byMethod = routes.get(path.kind());
            Target target = byMethod == null ? null : byMethod.get(method);
            if (target != null) {
                RequestLabels.operation(request, target.operation());
            }
            if (target == null || path.kind() == Kind.BASE) {
                // anonymous callers learn nothing about which paths exist, and GET /v2/ challenges them to log in
                requireAuthenticated(caller);
            }
            if (byMethod == null) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "no such resource under /v2/");
            }
            if (target == null) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", byMethod.keySet()));
                throw new RegistryException(ErrorCode.UNSUPPORTED,
                        method + " is not supported on " + path.kind().pattern);
            }
            // the quota first: a refused request costs a map lookup, and no body is read
            throttle.admit(registry.value(), target.operation(), response);
            Exchange.Access access = access(caller, request);
            // writes name the caller in their events; pulls are the caller's, so a principal with a pull-time update
            // exclusion leaves pull times alone
            RegistryService service = services.apply(caller.registry()).actingAs(caller.principal())
                    .pullingAs(principal == null ? null : principal.arn());
            Exchange ex = new Exchange(request, response, callback, path, caller.registry(), guarded(service, access),
                    access);
            if (target.action() != null) {
                ex.access.require(target.action(), ex.repo().value());
            }
            target.endpoint().handle(ex);
            afterSuccess(request, response, method, path, principal, registry);
        } catch (RegistryException e) {
            if (e.code().serverFault()) {
                LOG.error("request {} {} {}: {}", RequestIds.of(request), method, request.getHttpURI().getPath(),
                        e.getMessage(), e);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("request {} {} {}: {} {}", RequestIds.of(request), method, request.getHttpURI().getPath(),
                        e.code(), e.getMessage());
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
                    : gate != null ? gate.accountOf(request.getHttpURI().getHost()).value() : null;
            audit.failed(request, method, path, who, registryId, code, message);
        } catch (RuntimeException e) {
            LOG.warn("request {}: could not record audit event: {}", RequestIds.of(request), e.toString());
        }
    }

    private void requireAuthenticated(Caller caller) {
        if (gate != null) {
            gate.requireAuthenticated(caller);
        }
    }

    /** What the endpoints may ask about the caller's permissions (mounts, the catalog filter). */
    private Exchange.Access access(Caller caller, Request request) {
        if (gate == null || !gate.enabled()) {
            return Exchange.Access.ALL;
        }
        Origin origin = new Origin(remoteAddress(request), request.isSecure());
        return new Exchange.Access() {
            @Override
            public void require(String action, String repository) {
                gate.authorize(caller, action, repository, origin);
            }

            @Override
            public boolean may(String action, String repository) {
                return gate.may(caller, action, repository, origin);
            }
        };
    }

    /**
     * A push that would create the repository needs {@code ecr:CreateRepository}, as CreateRepository does (an
     * explicit Deny wins); the check runs in the service at the moment of creation, not on every push. So does the
     * first pull through a pull-through cache rule, which also needs {@code ecr:BatchImportUpstreamImage}.
     */
    private static RegistryService guarded(RegistryService service, Exchange.Access access) {
        // a pull that fills a pull-through cache repository from upstream needs ecr:BatchImportUpstreamImage too
        return access == Exchange.Access.ALL ? service
                : service.guardingCreation(name -> access.require("ecr:CreateRepository", name.value()))
                        .guardingUpstreamImport(name -> access.require("ecr:BatchImportUpstreamImage",
                                name.value()));
    }

    private static java.net.InetAddress remoteAddress(Request request) {
        java.net.SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof java.net.InetSocketAddress isa ? isa.getAddress() : null;
    }

    private static void fail(Request request, Response response, Callback callback, ErrorCode code, String message,
                             Object detail, Throwable cause) {
        if (response.isCommitted()) {
            callback.failed(cause); // headers are out: all we can do is abort the connection
            return;
        }
        // a 401 is the answer to anyone who can reach the port (anonymous refusals are 401 too): it never waits for
        // the caller's body, so a slow or huge one cannot hold this thread
        // and a quota refusal must stay cheap, so it does not read the body either
        boolean bodyLeft = code.httpStatus() == 401 || code == ErrorCode.TOO_MANY_REQUESTS ? mayHaveBody(request)
                : !discardSmallBody(request);
        if (bodyLeft && request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
            // the unread rest would be parsed as the next request: say that this connection ends here (HTTP/2 resets
            // the stream instead and forbids the header)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (code.httpStatus() == 401) {
            // ECR's challenge: docker and other clients answer it with Basic credentials (docker login)
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + request.getHttpURI().getScheme()
                    + "://" + request.getHttpURI().getAuthority() + "/\",service=\"ecr.amazonaws.com\"");
        }
        OciErrorWriter.write(request.getMethod(), response, callback, code, message, detail);
    }

    /**
     * Bodies up to this size are read and dropped before an error answer, so the connection stays usable: twice the
     * manifest limit, so an oversized manifest gets its 413 rather than a reset while the client is still sending.
     */
    private static final long DISCARDABLE_BODY_BYTES = 8L * 1024 * 1024;

    /** The longest an error answer waits for the rest of a body (the minimum request rate applies as well). */
    private static final long DISCARD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private static boolean mayHaveBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /**
     * An error often answers a request whose body the endpoint never read (a refused chunk, an unknown upload).
     * Jetty then closes the connection, and a client that already reuses it for its next request sees a reset
     * instead of an answer, or loses the answer to a reset while it is still sending. A body of a few MiB is cheap to
     * read and drop, for an authenticated client (see {@link #fail}); a large or slow one is not worth reading, and
     * there the close is right. Reads at most {@link #DISCARDABLE_BODY_BYTES} for at most {@link #DISCARD_NANOS}.
     *
     * @return whether the whole body is read (true for a request without one)
     */
    private static boolean discardSmallBody(Request request) {
        if (request.getLength() > DISCARDABLE_BODY_BYTES) {
            return false;
        }
        long deadline = System.nanoTime() + DISCARD_NANOS;
        long budget = DISCARDABLE_BODY_BYTES;
        while (true) {
            org.eclipse.jetty.io.Content.Chunk chunk = request.read();
            if (chunk == null) {
                if (!awaitContent(request, deadline)) {
                    return false;
                }
                continue;
            }
            if (org.eclipse.jetty.io.Content.Chunk.isFailure(chunk)) {
                LOG.debug("request {}: body failed while discarded before an error answer: {}", request.getId(),
                        chunk.getFailure().toString());
                return false;
            }
            budget -= chunk.remaining();
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return true;
            }
            if (budget < 0) {
                return false;
            }
        }
    }

    /** Waits until more of the body is there; false when the deadline passed first. */
    private static boolean awaitContent(Request request, long deadline) {
        java.util.concurrent.CountDownLatch more = new java.util.concurrent.CountDownLatch(1);
        request.demand(more::countDown);
        try {
            long left = deadline - System.nanoTime();
            return left > 0 && more.await(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
