package io.berth.server.boot;

import io.berth.server.access.AccessControl;
import io.berth.server.auth.ActivePrincipals;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identities;
import io.berth.server.auth.IdentityAuthenticator;
import io.berth.server.auth.NoAuthenticator;
import io.berth.server.auth.RegistryGate;
import io.berth.core.replication.Replication;
import io.berth.core.replication.ReplicationTrigger;
import io.berth.server.auth.RootCredentials;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.StsHandler;
import io.berth.server.auth.TokenService;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.LogConfig;
import io.berth.server.http.BerthServer;
import io.berth.server.http.HealthHandler;
import io.berth.server.console.ConsoleHandler;
import io.berth.server.console.ConsolePages;
import io.berth.server.http.RootHandler;
import io.berth.server.http.aws.BodyBudget;
import io.berth.server.http.aws.SignedApiCalls;
import io.berth.server.http.ecr.EcrContext;
import io.berth.server.http.ecr.EcrHandler;
import io.berth.server.http.secrets.SecretsManagerHandler;
import io.berth.server.http.ecr.HmacUrlSigner;
import io.berth.server.http.ecr.LayerDownloadHandler;
import io.berth.server.http.ecr.RegistryTokenIssuer;
import io.berth.core.pullthrough.PullThrough;
import io.berth.core.pullthrough.UpstreamClient;
import io.berth.core.secrets.SecretValue;
import io.berth.server.http.oci.OciHandler;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.metrics.BerthMetrics;
import io.berth.server.metrics.ManagementServer;
import io.berth.server.metrics.MetricsHandler;
import io.berth.server.metrics.RequestMetrics;
import io.berth.server.metrics.StateGauges;
import io.berth.server.throttling.Throttle;
import io.berth.server.tracing.Tracing;
import io.berth.core.job.EventTriggers;
import io.berth.core.job.JobRunner;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.scanning.ScanOnPushTrigger;
import io.berth.core.signing.ImageSigning;
import io.berth.core.signing.SignOnPushTrigger;
import io.berth.server.signer.SealedSigningKeys;
import io.berth.server.signer.SignerHandler;
import io.berth.scanner.BerthScanEngine;
import io.berth.core.node.NodeHeartbeat;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Berth, assembled in one place: the stores, then identities and authentication, then the two planes on
 * the one port, then the background services, then the server. {@link #start} starts them in that order and
 * {@link #stop} stops them in reverse: requests drain first, then the background stops, then the stores close. What
 * {@code serve} runs, what the integration tests boot in-process, and (through {@link #openStores}) what {@code gc}
 * and {@code admin} open.
 */
public final class BerthApp {
    private static final Logger LOG = LoggerFactory.getLogger(BerthApp.class);

    private final BerthConfig config;
    private final Stores stores;
    private final TokenService tokens;
    private final Authenticator authenticator;
    private final SignedApiCalls apiCalls;
    private final AccessControl access;
    private final Optional<Identities.NewKey> generatedRootKey;
    private final BerthServer server;
    private final BerthMetrics metrics;
    /** OpenTelemetry traces ({@code tracing.endpoint}), or {@link Tracing#OFF}. */
    private final Tracing tracing;
    private final Throttle throttle;
    private final StateGauges gauges;
    /** The management port ({@code management.listen}), if configured. */
    private final ManagementServer management;
    /** How often event triggers look for new events (a push's scan starts within this). */
    private static final java.time.Duration TRIGGER_POLL = java.time.Duration.ofMillis(500);
    private static final String URL_SIGNING_LABEL = "berth/layer-download-url/v1";
    private final ImageScanning scanning;
    private final SealedSigningKeys signingKeys;
    private final ImageSigning signing;
    private final Replication replication;
    private final JobRunner jobs;
    private final EventTriggers triggers;
    private final BackgroundServices background;
    /** This process in job leases and in the {@code nodes} table (see {@link #nodeName}). */
    private final String nodeId = nodeName();
    /** What {@link #stop} undoes, the last started first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private BerthApp(BerthConfig config, Stores stores, BerthMetrics metrics, Tracing tracing) throws Exception {
        this.config = config;
        this.stores = stores;
        this.metrics = metrics;
        this.tracing = tracing;
        this.throttle = Throttle.of(config.throttling());
        // identities and authentication; the default region must be the one the data was written for
        stores.identities().checkDefaultRegion(config.regions().regions().defaultRegion());
        this.tokens = new TokenService(stores.masterKey(), new TokenService.Binding(
                stores.identities().deploymentId(), config.regions().regions().defaultRegion()),
                ActivePrincipals.of(stores.identities(), stores.clock()), stores.clock());
        this.authenticator = config.auth().insecureNoAuth() ? new NoAuthenticator(stores.defaultAccount())
                : new IdentityAuthenticator(stores.identities(), tokens,
                        new SigV4Verifier(java.util.Set.copyOf(config.regions().regions().served()), stores.clock()), stores.clock());
        // the largest single request is an ECR UploadLayerPart (STS bodies are at most 64 KiB)
        this.apiCalls = new SignedApiCalls(authenticator, BodyBudget.fromEnvironment(EcrHandler.largestRequestHeap()),
                throttle);
        this.access = new AccessControl(stores.policyCache(), stores.metadata(), config.regions().regions().defaultRegion(),
                stores.clock(), stores.services().accounts());
        this.generatedRootKey = bootstrapRootKey();
        Permissions permissions = new Permissions(config, access);
        this.scanning = new ImageScanning(stores.metadata(), stores.clock(), stores.services().events(),
                stores.audit(), new BerthScanEngine(stores.metadata(), stores.blobs(), stores.vulnerabilities(),
                stores.services()::forRegistry));
        this.signingKeys = new SealedSigningKeys(stores.masterKey(), stores.metadata(), stores.clock());
        this.signing = new ImageSigning(stores.metadata(), stores.clock(), stores.audit(),
                stores.services()::forRegistry, signingKeys, config.regions().regions(),
                permissions.signing());
        this.replication = new Replication(stores.metadata(), stores.clock(), config.regions().regions());
        // the planes, on the one port
        HealthHandler health = new HealthHandler(stores::checkHealth);
        this.server = new BerthServer(config.http(), tracing.wrap(planes(health).with(new RootHandler.Route("GET",
                "/metrics", MetricsHandler.withToken(metrics, config.management().token())))),
                config.log().format() == LogConfig.LogFormat.JSON, tracing.enabled()
                ? new org.eclipse.jetty.server.RequestLog.Collection(new RequestMetrics(metrics), tracing.requestLog())
                : new RequestMetrics(metrics));
        this.management = config.management().listens() ? new ManagementServer(config.management().host().get(),
                config.management().port(), metrics, health) : null;
        this.gauges = new StateGauges(stores.metadata(), metrics, stores.clock());
        // what runs besides requests: every background pass is a job, so one node runs each
        JobAssembly jobAssembly = new JobAssembly(config, stores, metrics, nodeId);
        this.jobs = jobAssembly.runner(scanning, signing, replication, permissions.replication());
        scanning.enqueueWith((kind, target, key, attempts) -> jobs.enqueue(kind, target, key, attempts));
        // jobs that events start: scan on push, sign on push, replication
        this.triggers = new EventTriggers(stores.metadata(), stores.clock(), jobs,
                List.of(new ScanOnPushTrigger(scanning, config.regions().regions()), new SignOnPushTrigger(signing),
                        new ReplicationTrigger(replication)), TRIGGER_POLL);
        this.background = new BackgroundServices(List.of(new JobService(jobs, triggers, jobAssembly.disabledSchedules()),
                feedsAtStart(), new WebhookService(stores.metadata(), stores.clock(), config, server::port,
                        io.berth.server.crypto.SecretValueCipher.forWebhooks(stores.masterKey()), nodeId)));
    }

    /**
     * The configured vulnerability-data feeds are checked once as the server starts (then every
     * {@code scanning.feed-interval}), so a new deployment does not wait a whole interval for its data.
     */
    private BackgroundService feedsAtStart() {
        return new BackgroundService() {
            @Override public String name() { return "vulndb-feeds"; }

            @Override
            public void start() {
                if (!config.scanning().feeds().isEmpty()) {
                    jobs.enqueue(FeedJob.KIND, "", "feeds:start", FeedJob.MAX_ATTEMPTS);
                }
            }

            @Override public void close() { }
        };
    }


    /**
     * This process in job leases and heartbeats: the host (from the environment: a DNS lookup could stall the start), the PID and
     * a random suffix, so a restarted process never mistakes its predecessor's leases for its own.
     */
    private static String nodeName() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "berth" : host) + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(new java.security.SecureRandom().nextInt() & 0xffffL);
    }

    /** Just the stores, for commands that work on the data without serving it ({@code gc}, {@code admin}). */
    public static Stores openStores(BerthConfig config) {
        return Stores.open(config);
    }

    /** Builds everything and starts it; on a failure, stops what had started and rethrows. */
    public static BerthApp start(BerthConfig config) throws Exception {
        BerthMetrics metrics = new BerthMetrics();
        Tracing tracing = Tracing.of(config.tracing(), Version.VERSION);
        Stores stores;
        try {
            stores = Stores.open(config, metrics, tracing.storeCalls());
        } catch (RuntimeException | Error e) {
            tracing.close();
            metrics.close();
            throw e;
        }
        BerthApp app;
        try {
            app = new BerthApp(config, stores, metrics, tracing);
        } catch (Exception | Error e) {
            stores.close();
            tracing.close();
            metrics.close();
            throw e;
        }
        try {
            app.startInOrder();
        } catch (Exception | Error e) {
            app.stop();
            throw e;
        }
        return app;
    }

    private void startInOrder() throws Exception {
        started.push(metrics); // closed last, after the stores that record into it
        started.push(tracing); // flushes the last spans once requests have drained
        started.push(stores);
        background.start();
        started.push(background);
        gauges.start();
        started.push(gauges);
        if (management != null) {
            management.start();
            started.push(management);
            LOG.info("metrics and probes on {}/metrics (management.listen)", management.uri());
        }
        server.start();
        started.push(server::stop); // graceful: in-flight requests finish, up to BerthServer.STOP_TIMEOUT_MS
        // listed by berth admin nodes once it listens (its address is known then); its row goes before the port
        // closes, so a node in the list is one that answers
        NodeHeartbeat heartbeat = new NodeHeartbeat(stores.nodes(), stores.clock(), nodeId, Version.VERSION,
                server.uri().toString());
        heartbeat.start();
        started.push(heartbeat);
        new MultiNodeChecks(config, stores.nodes(), stores.clock()).warnAtStart(nodeId);
        if (!server.isTls() && !isLoopback(config.http().host())) {
            LOG.warn("plain HTTP on {} is reachable from other hosts and carries pushes unencrypted; "
                    + "use --tls-cert/--tls-key or listen on 127.0.0.1 behind a TLS proxy", config.http().listen());
        }
    }

    /** The default account's root key from the configuration, or generated once (see {@link RootCredentials}). */
    private Optional<Identities.NewKey> bootstrapRootKey() {
        if (config.auth().insecureNoAuth()) {
            LOG.warn("AUTHENTICATION IS DISABLED (--insecure-no-auth): anyone who can reach {} can push, pull "
                    + "and delete in every account", config.http().listen());
            return Optional.empty();
        }
        return RootCredentials.bootstrap(stores.identities(), config.auth(), config.storage().data());
    }

    /** The OCI plane ({@code /v2/}), the AWS plane (ECR, STS, KMS, Secrets Manager, Signer, layer downloads) and the health probes. */
    private RootHandler planes(HealthHandler health) throws Exception {
        boolean open = config.auth().insecureNoAuth();
        // catalog and DescribeRepositories cursors: sealed under the master key, so every node opens them
        PageCursors cursors = new PageCursors(stores.masterKey());
        RegistryGate gate = new RegistryGate(authenticator, stores.defaultAccount(), access,
                stores.services().accounts()).withRegions(config.regions());
        // the pull-through cache decorates every registry's data plane: repositories under a rule's prefix are
        // filled from its upstream on pull
        PullThrough pullThrough = pullThrough(stores, config);
        pullThrough.removeAbandonedSpools(); // what a killed server was fetching
        OciHandler oci = new OciHandler(id -> pullThrough.decorate(id, stores.services().forRegistry(id)), gate,
                stores.audit(), stores.pulls(), cursors, signing.verification(), throttle);
        RegistryTokenIssuer issuer = (principal, region) -> {
            var token = tokens.issue(principal, region);
            return new RegistryTokenIssuer.Issued(token.password(), token.expiresAt());
        };
        EcrContext ecr = new EcrContext(stores.services(), issuer,
                // from the master key, which every node shares, so a download URL from one node works at all
                new HmacUrlSigner(stores.masterKey().derive(URL_SIGNING_LABEL)), stores.clock(),
                stores.policies(), open ? null : access, cursors, stores.pulls(), scanning, pullThrough, signing,
                replication);
        StsHandler sts = new StsHandler(apiCalls, open ? null : stores.identities(), stores.audit());
        SecretsManagerHandler secrets = new SecretsManagerHandler(apiCalls, stores.secrets(), open ? null : access,
                stores.audit(), config.regions().regions());
        RootHandler base = RootHandler.of(oci, health,
                new EcrHandler(apiCalls, ecr, stores.audit(), config.regions()), sts,
                new LayerDownloadHandler(ecr), new io.berth.server.http.kms.KmsHandler(apiCalls,
                        stores.keyService(), stores.keyCrypto(), stores.audit()))
                .withJsonApi(SecretsManagerHandler.TARGET_PREFIX, secrets);
        // Signer's REST-JSON paths, on the same port (SigV4 for service signer)
        SignerHandler signer = new SignerHandler(apiCalls, stores.metadata(), signingKeys, stores.clock(),
                config.regions().regions(), open ? null : access, stores.audit(), signing.verification()::invalidate);
        List<RootHandler.Route> routes = new ArrayList<>(base.routes());
        SignerHandler.PREFIXES.forEach(p -> routes.add(new RootHandler.Route("*", p + "/*", signer)));
        // the web console: its sign-in checks keys as /v2/ does, its pages ask the same access control as the APIs
        // (and IAM users' console passwords)
        ConsolePages consolePages = new ConsolePages(stores.services(), open ? null : access, scanning, signing,
                stores.metadata(), stores.defaultAccount(), stores.policies(), replication);
        routes.add(new RootHandler.Route("*", "/console/*", new ConsoleHandler(authenticator, stores.identities(),
                stores.audit(), consolePages, stores.clock())));
        return new RootHandler(routes);
    }

    /**
     * The pull-through cache over {@code stores}, as {@code serve} runs it and {@code berth admin cache refresh}
     * uses it: a rule's credentialArn names a Secrets Manager secret of its account (its current SecretString).
     */
    public static PullThrough pullThrough(Stores stores, BerthConfig config) {
        return new PullThrough(stores.services(), stores.metadata(), stores.clock(),
                config.pullThrough().refreshInterval(), new UpstreamClient(), (registryId, arn) -> stores.secrets()
                .currentValue(registryId, arn).filter(v -> !v.isBinary()).map(SecretValue::string),
                config.storage().data().resolve(PullThrough.SPOOL_DIRECTORY));
    }

    /** The SSRF guard {@code berth admin webhooks add} checks receiver URLs with, as {@code serve} does. */
    public static io.berth.core.webhook.ReceiverGuard webhookGuard(BerthConfig config) {
        return WebhookService.guard(config, () -> -1);
    }

    /** Stops what started, in reverse; safe to call twice (a shutdown hook after a test's stop). */
    public synchronized void stop() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("error while stopping", e);
            }
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException { server.join(); }

    /** The one line {@code serve} prints once it listens. */
    public String startLine() {
        return "Berth " + Version.VERSION + " listening on " + server.uri() + " (storage " + stores.blobs().describe()
                + ", metadata " + stores.metadata().describe() + "; " + authDescription() + ")";
    }

    private String authDescription() {
        return config.auth().insecureNoAuth() ? "authentication: DISABLED (--insecure-no-auth)"
                : "authentication: SigV4 and registry tokens, account " + config.auth().accountId() + ", region "
                + String.join(", ", config.regions().regions().served());
    }

    /** The root key generated at this start, if one was (its secret is in {@code <data>/root-credentials}). */
    public Optional<Identities.NewKey> generatedRootKey() { return generatedRootKey; }

    public BerthServer server() { return server; }

    /** The meters {@code /metrics} shows. */
    public BerthMetrics metrics() { return metrics; }

    /** The traces, {@link Tracing#OFF} unless {@code tracing.endpoint} is set. */
    public Tracing tracing() { return tracing; }

    /** The management port, when {@code management.listen} is set. */
    public Optional<ManagementServer> management() { return Optional.ofNullable(management); }

    /** Samples the database-backed gauges now (tests; the sampler runs every 15 s). */
    public void sampleGauges() { gauges.sample(); }

    public Stores stores() { return stores; }

    /**
     * Runs the background jobs ({@code gc}, {@code audit-prune}, {@code event-prune}, {@code lifecycle-schedule},
     * {@code lifecycle}, {@code lifecycle-preview}); what code enqueues jobs through.
     */
    public JobRunner jobs() { return jobs; }

    /** Issues and verifies registry tokens; ECR's GetAuthorizationToken calls {@code issue(principal)}. */
    public TokenService tokens() { return tokens; }

    /** This node's name in job leases and in {@code berth admin nodes}. */
    public String nodeId() { return nodeId; }

    /** SigV4 for the AWS plane, Basic for {@code /v2/}; a no-op one under {@code --insecure-no-auth}. */
    public Authenticator authenticator() { return authenticator; }

    /** Admits ECR and STS calls: authentication before the body, and the heap budget for bodies in flight. */
    public SignedApiCalls apiCalls() { return apiCalls; }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
