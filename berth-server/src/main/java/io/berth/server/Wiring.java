package io.berth.server;

import io.berth.core.audit.AsyncAuditLog;
import io.berth.core.audit.AuditSink;
import io.berth.core.audit.JsonLinesAuditSink;
import io.berth.core.audit.MetadataAuditSink;
import io.berth.core.audit.PullCounts;
import io.berth.core.fs.PrivateFiles;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.model.RegistryId;
import io.berth.core.service.RegistryService;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.access.AccessControl;
import io.berth.server.access.Policies;
import io.berth.server.access.PolicyCache;
import io.berth.server.auth.ActivePrincipals;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identities;
import io.berth.server.auth.IdentityAuthenticator;
import io.berth.server.auth.MasterKey;
import io.berth.server.auth.NoAuthenticator;
import io.berth.server.auth.RegistryGate;
import io.berth.server.auth.SecretCipher;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.http.aws.BodyBudget;
import io.berth.server.http.aws.SignedApiCalls;
import io.berth.server.http.ecr.EcrHandler;
import io.berth.server.auth.TokenService;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.MetadataConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The one place that chooses implementations: blob store, metadata store, registry services (one per account),
 * identities and authentication, garbage collector.
 * {@code serve}, {@code gc} and the integration tests all build through here, so they run the same objects.
 */
public final class Wiring implements AutoCloseable {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Clock clock = Clock.systemUTC();
    private final RegistryServices services;
    private final RegistryId defaultAccount;
    private final Identities identities;
    private final TokenService tokens;
    private final Authenticator authenticator;
    private final SignedApiCalls apiCalls;
    private final PolicyCache policyCache;
    private final Policies policies;
    private final AccessControl access;
    private final AsyncAuditLog audit;
    private final PullCounts pulls = new PullCounts();

    private Wiring(BerthConfig config, BlobStore blobs, MetadataStore metadata) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.services = new RegistryServices(blobs, metadata, clock,
                // SQLite means one node, so cached tags are exact; PostgreSQL may be shared by several nodes, whose
                // tag moves this node would not see in its cache
                (config.metadata().type() == MetadataConfig.MetadataType.SQLITE ? ServiceOptions.singleNode()
                        : ServiceOptions.sharedDatabase()).withCreateOnPush(config.registry().createOnPush()));
        this.defaultAccount = config.auth().accountId();
        services.accounts().pin(defaultAccount);
        MasterKey master = MasterKey.load(config.auth().masterKey(), config.storage().data());
        this.identities = new Identities(metadata, new SecretCipher(master), clock);
        this.tokens = new TokenService(master, new TokenService.Binding(identities.deploymentId(),
                config.auth().region()), ActivePrincipals.of(identities, clock), clock);
        this.authenticator = config.auth().insecureNoAuth() ? new NoAuthenticator(defaultAccount)
                : new IdentityAuthenticator(identities, tokens, new SigV4Verifier(config.auth().region(), clock),
                        clock);
        // the largest single request is an ECR UploadLayerPart (STS bodies are at most 64 KiB)
        this.apiCalls = new SignedApiCalls(authenticator, BodyBudget.fromEnvironment(EcrHandler.largestRequestHeap()));
        this.policyCache = new PolicyCache(metadata);
        this.policies = new Policies(metadata, policyCache);
        this.access = new AccessControl(policyCache, metadata, config.auth().region(), clock, services.accounts());
        List<AuditSink> sinks = new ArrayList<>();
        sinks.add(new MetadataAuditSink(metadata));
        config.audit().file().ifPresent(f -> sinks.add(new JsonLinesAuditSink(f)));
        this.audit = new AsyncAuditLog(sinks); // started last: nothing above can fail after its thread exists
    }

    /** True once the storage backends are on the classpath (merged from main); ITs skip themselves until then. */
    public static boolean available() {
        return BACKENDS_MERGED;
    }

    private static final boolean BACKENDS_MERGED = true;

    public static Wiring open(BerthConfig config) {
        try {
            PrivateFiles.createDirectories(config.storage().data());
            String was = PrivateFiles.restrictDirectory(config.storage().data());
            if (was != null) {
                LoggerFactory.getLogger(Wiring.class).info("data directory {} was {}, now owner-only (rwx------): "
                        + "it holds the database and every pushed layer", config.storage().data(), was);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.storage().data(), e);
        }
        BlobStore blobs = openBlobStore(config);
        try {
            MetadataStore metadata = openMetadata(config);
            try {
                return new Wiring(config, blobs, metadata);
            } catch (RuntimeException e) {
                metadata.close();
                throw e;
            }
        } catch (RuntimeException e) {
            closeQuietly(blobs);
            throw e;
        }
    }

    private static BlobStore openBlobStore(BerthConfig config) {
        try {
            return new io.berth.core.blob.fs.FileSystemBlobStore(config.storage().data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open blob store in " + config.storage().data(), e);
        }
    }

    private static MetadataStore openMetadata(BerthConfig config) {
        return io.berth.metadata.jdbc.JdbcMetadataStore.open(switch (config.metadata().type()) {
            case SQLITE -> io.berth.metadata.jdbc.JdbcConfig.sqlite(config.sqliteFile());
            case POSTGRES -> io.berth.metadata.jdbc.JdbcConfig.postgres(config.metadata().url().orElseThrow(),
                    config.metadata().user().orElse(null), config.metadata().password().orElse(null));
        });
    }

    /** The default account's data plane. */
    public RegistryService service() { return services.forRegistry(defaultAccount); }

    /** Every account's data plane; the ECR API picks the caller's account, {@code /v2/} the Host's. */
    public RegistryServices services() { return services; }

    public RegistryId defaultAccount() { return defaultAccount; }

    public Identities identities() { return identities; }

    /** Issues and verifies registry tokens; ECR's GetAuthorizationToken calls {@code issue(principal)}. */
    public TokenService tokens() { return tokens; }

    /** SigV4 for the ECR/STS API, Basic for {@code /v2/}; a no-op one under {@code --insecure-no-auth}. */
    public Authenticator authenticator() { return authenticator; }

    /** Admits ECR and STS calls: authentication before the body, and the heap budget for bodies in flight. */
    public SignedApiCalls apiCalls() { return apiCalls; }

    public RegistryGate registryGate() {
        return new RegistryGate(authenticator, defaultAccount, access, services.accounts());
    }

    /** Changes policies (ECR policy actions, {@code berth admin}). */
    public Policies policies() { return policies; }

    /** Policy decisions for both planes; unused under {@code --insecure-no-auth}. */
    public AccessControl access() { return access; }

    public Clock clock() { return clock; }

    /** The audit trail (database, plus the JSON-lines file when {@code audit.file} is set). */
    public AsyncAuditLog audit() { return audit; }

    /** Pulls per repository since start (pulls are counted, not audited). */
    public PullCounts pulls() { return pulls; }

    public BlobStore blobs() { return blobs; }

    public MetadataStore metadata() { return metadata; }

    public GarbageCollector garbageCollector(Duration grace) {
        return new GarbageCollector(blobs, metadata, grace, clock);
    }

    /** For {@code /readyz}. */
    public void checkHealth() throws IOException {
        blobs.checkHealth();
        metadata.checkHealth();
    }

    @Override
    public void close() {
        try {
            audit.close(); // drains the queue into the database, which must still be open
            metadata.close();
        } finally {
            closeQuietly(blobs);
        }
    }

    private static void closeQuietly(BlobStore blobs) {
        try {
            blobs.close();
        } catch (IOException | RuntimeException ignored) {
            // shutting down: nothing useful to do with a close failure
        }
    }
}
