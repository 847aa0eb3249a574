package io.berth.server.boot;

import io.berth.core.audit.AuditRetention;
import io.berth.core.event.EventRetention;
import io.berth.core.service.LifecycleRuns;
import io.berth.core.service.LifecycleTransitions;
import io.berth.server.access.AccessControl;
import io.berth.server.auth.ActivePrincipals;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identities;
import io.berth.server.auth.IdentityAuthenticator;
import io.berth.server.auth.NoAuthenticator;
import io.berth.server.auth.RegistryGate;
import io.berth.server.auth.RootCredentials;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.StsHandler;
import io.berth.server.auth.TokenService;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.LogConfig;
import io.berth.server.config.MetadataConfig;
import io.berth.server.http.BerthServer;
import io.berth.server.http.HealthHandler;
import io.berth.server.http.RootHandler;
import io.berth.server.http.aws.BodyBudget;
import io.berth.server.http.aws.SignedApiCalls;
import io.berth.server.http.ecr.EcrContext;
import io.berth.server.http.ecr.EcrHandler;
import io.berth.server.http.ecr.HmacUrlSigner;
import io.berth.server.http.ecr.LayerDownloadHandler;
import io.berth.server.http.ecr.RegistryTokenIssuer;
import io.berth.core.pullthrough.PullThrough;
import io.berth.core.pullthrough.UpstreamClient;
import io.berth.server.http.oci.OciHandler;
import io.berth.server.http.paging.PageCursors;
import io.berth.core.job.JobHandler;
import io.berth.core.job.EventTriggers;
import io.berth.core.job.JobRunner;
import io.berth.core.scanning.ContinuousRescans;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.scanning.ScanJob;
import io.berth.core.scanning.ScanOnPushTrigger;
import io.berth.scanner.BerthScanEngine;
import io.berth.core.job.JobSchedule;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
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
    /** How often event triggers look for new events (a push's scan starts within this). */
    private static final java.time.Duration TRIGGER_POLL = java.time.Duration.ofMillis(500);
    private final ImageScanning scanning;
    private final JobRunner jobs;
    private final EventTriggers triggers;
    private final BackgroundServices background;
    /** What {@link #stop} undoes, the last started first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private BerthApp(BerthConfig config, Stores stores) throws Exception {
        this.config = config;
        this.stores = stores;
        // identities and authentication
        this.tokens = new TokenService(stores.masterKey(), new TokenService.Binding(
                stores.identities().deploymentId(), config.auth().region()),
                ActivePrincipals.of(stores.identities(), stores.clock()), stores.clock());
        this.authenticator = config.auth().insecureNoAuth() ? new NoAuthenticator(stores.defaultAccount())
                : new IdentityAuthenticator(stores.identities(), tokens,
                        new SigV4Verifier(config.auth().region(), stores.clock()), stores.clock());
        // the largest single request is an ECR UploadLayerPart (STS bodies are at most 64 KiB)
        this.apiCalls = new SignedApiCalls(authenticator, BodyBudget.fromEnvironment(EcrHandler.largestRequestHeap()));
        this.access = new AccessControl(stores.policyCache(), stores.metadata(), config.auth().region(),
                stores.clock(), stores.services().accounts());
        this.generatedRootKey = bootstrapRootKey();
        this.scanning = new ImageScanning(stores.metadata(), stores.clock(), stores.services().events(),
                stores.audit(), new BerthScanEngine(stores.metadata(), stores.blobs(), stores.vulnerabilities(),
                stores.services()::forRegistry));
        // the planes, on the one port
        this.server = new BerthServer(config.http(), planes(), config.log().format() == LogConfig.LogFormat.JSON);
        // what runs besides requests: every background pass is a job, so one node runs each
        this.jobs = jobRunner();
        scanning.enqueueWith((kind, target, key, attempts) -> jobs.enqueue(kind, target, key, attempts));
        // jobs that events start: scan on push
        this.triggers = new EventTriggers(stores.metadata(), stores.clock(), jobs,
                List.of(new ScanOnPushTrigger(scanning)), TRIGGER_POLL);
        this.background = new BackgroundServices(List.of(new JobService(jobs, triggers, disabledSchedules()),
                feedsAtStart()));
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

    /** The runner with a handler per job kind, and the schedules the configuration turns on. */
    private JobRunner jobRunner() {
        // transitions are logged and skipped until the archive storage class is wired in here
        LifecycleRuns lifecycle = stores.services().lifecycleRuns(stores.audit(), LifecycleTransitions.archivingWith(stores.services()));
        List<JobHandler> handlers = List.of(new GcJob(stores.garbageCollector(config.gc().grace())),
                PruneJob.audit(new AuditRetention(stores.metadata(), stores.clock()), config.audit().retention()),
                PruneJob.events(new EventRetention(stores.metadata(), stores.clock()), config.events().retention()),
                new ScanJob(scanning), new ContinuousRescans(stores.metadata(), scanning, stores.clock()),
                new FeedJob(config.scanning().feeds(), stores.feedRefresher(), stores.metadata(), stores.clock()),
                new RestoreJob(stores.services()),
                LifecycleJob.schedule(lifecycle), LifecycleJob.evaluate(lifecycle), LifecycleJob.preview(lifecycle));
        List<JobSchedule> schedules = new ArrayList<>();
        if (!config.gc().interval().isZero()) {
            schedules.add(JobSchedule.every(GcJob.KIND, config.gc().interval(), GcJob.MAX_ATTEMPTS));
        }
        if (auditPruneOn()) {
            schedules.add(JobSchedule.every(PruneJob.AUDIT, config.audit().pruneInterval(), PruneJob.MAX_ATTEMPTS));
        }
        if (eventPruneOn()) {
            schedules.add(JobSchedule.every(PruneJob.EVENTS, config.events().pruneInterval(), PruneJob.MAX_ATTEMPTS));
        }
        if (!config.scanning().feeds().isEmpty() && !config.scanning().feedInterval().isZero()) {
            schedules.add(JobSchedule.every(FeedJob.KIND, config.scanning().feedInterval(), FeedJob.MAX_ATTEMPTS));
        }
        if (!config.lifecycle().interval().isZero()) {
            schedules.add(JobSchedule.every(LifecycleJob.SCHEDULE, config.lifecycle().interval(),
                    LifecycleRuns.MAX_ATTEMPTS));
        }

        return new JobRunner(stores.metadata(), stores.clock(), config.jobs().runnerOptions(nodeName(),
                config.metadata().type() == MetadataConfig.MetadataType.SQLITE), handlers, schedules);
    }

    private boolean auditPruneOn() {
        return !config.audit().retention().isZero() && !config.audit().pruneInterval().isZero();
    }

    private boolean eventPruneOn() {
        return !config.events().retention().isZero() && !config.events().pruneInterval().isZero();
    }

    private List<String> disabledSchedules() {
        List<String> off = new ArrayList<>();
        if (config.gc().interval().isZero()) {
            off.add("background GC disabled (gc.interval 0)");
        }
        if (!auditPruneOn()) {
            off.add("audit events are kept forever (audit.retention or audit.prune-interval 0)");
        }
        if (config.lifecycle().interval().isZero()) {
            off.add("lifecycle policies are not evaluated (lifecycle.interval 0)");
        }
        if (!eventPruneOn()) {
            off.add("stream events are kept forever (events.retention or events.prune-interval 0)");
        }
        return off;
    }

    /**
     * This process in job leases: the host (from the environment: a DNS lookup could stall the start), the PID and
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
        Stores stores = Stores.open(config);
        BerthApp app;
        try {
            app = new BerthApp(config, stores);
        } catch (Exception | Error e) {
            stores.close();
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
        started.push(stores);
        background.start();
        started.push(background);
        server.start();
        started.push(server::stop); // graceful: in-flight requests finish, up to BerthServer.STOP_TIMEOUT_MS
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

    /** The OCI plane ({@code /v2/}), the AWS plane (ECR, STS, KMS, layer downloads) and the health probes. */
    private Handler planes() throws Exception {
        boolean open = config.auth().insecureNoAuth();
        // catalog and DescribeRepositories cursors: sealed under the master key, so every node opens them
        PageCursors cursors = new PageCursors(stores.masterKey());
        RegistryGate gate = new RegistryGate(authenticator, stores.defaultAccount(), access,
                stores.services().accounts());
        // the pull-through cache decorates every registry's data plane: repositories under a rule's prefix are
        // filled from its upstream on pull
        PullThrough pullThrough = new PullThrough(stores.services(), stores.metadata(), stores.clock(),
                config.pullThrough().refreshInterval(), new UpstreamClient());
        OciHandler oci = new OciHandler(id -> pullThrough.decorate(id, stores.services().forRegistry(id)), gate,
                stores.audit(), stores.pulls(), cursors);
        RegistryTokenIssuer issuer = principal -> {
            var token = tokens.issue(principal);
            return new RegistryTokenIssuer.Issued(token.password(), token.expiresAt());
        };
        EcrContext ecr = new EcrContext(stores.services(), issuer,
                HmacUrlSigner.fromKeyFile(config.storage().data().resolve("url-signing.key")), stores.clock(),
                stores.policies(), open ? null : access, cursors, stores.pulls(), scanning, pullThrough);
        StsHandler sts = new StsHandler(apiCalls, open ? null : stores.identities(), stores.audit());
        return RootHandler.of(oci, new HealthHandler(stores::checkHealth),
                new EcrHandler(apiCalls, ecr, stores.audit(), config.auth().region()), sts,
                new LayerDownloadHandler(ecr), new io.berth.server.http.kms.KmsHandler(apiCalls,
                        stores.keyService(), stores.keyCrypto(), stores.audit()));
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
                + config.auth().region();
    }

    /** The root key generated at this start, if one was (its secret is in {@code <data>/root-credentials}). */
    public Optional<Identities.NewKey> generatedRootKey() { return generatedRootKey; }

    public BerthServer server() { return server; }

    public Stores stores() { return stores; }

    /**
     * Runs the background jobs ({@code gc}, {@code audit-prune}, {@code event-prune}, {@code lifecycle-schedule},
     * {@code lifecycle}, {@code lifecycle-preview}); what code enqueues jobs through.
     */
    public JobRunner jobs() { return jobs; }

    /** Issues and verifies registry tokens; ECR's GetAuthorizationToken calls {@code issue(principal)}. */
    public TokenService tokens() { return tokens; }

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
