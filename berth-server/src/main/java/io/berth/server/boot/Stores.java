package io.berth.server.boot;

import io.berth.core.audit.AsyncAuditLog;
import io.berth.core.audit.AuditSink;
import io.berth.core.audit.JsonLinesAuditSink;
import io.berth.core.audit.MetadataAuditSink;
import io.berth.core.audit.PullCounts;
import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.fs.PrivateFiles;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.model.RegistryId;
import io.berth.core.secrets.Secrets;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ServiceOptions;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.metrics.BerthMetrics;
import io.berth.server.metrics.StoreCallObserver;
import io.berth.server.metrics.TimedBlobStore;
import io.berth.server.metrics.TimedMetadataStore;
import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import io.berth.metadata.jdbc.JdbcNodeDirectory;
import io.berth.metadata.jdbc.PostgresChangeFeed;
import io.berth.core.node.NodeDirectory;
import io.berth.scanner.vulndb.VulnerabilityStore;
import io.berth.scanner.vulndb.jdbc.JdbcVulnerabilityStore;
import io.berth.server.access.Policies;
import io.berth.server.access.PolicyCache;
import io.berth.server.auth.Identities;
import io.berth.server.crypto.MasterKey;
import io.berth.server.crypto.SecretCipher;
import io.berth.server.crypto.SecretValueCipher;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigException;
import io.berth.server.config.StorageConfig;
import io.berth.storage.s3.S3BlobStore;
import io.berth.storage.s3.S3SetupException;
import io.berth.storage.s3.S3Settings;
import io.berth.server.config.MetadataConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What Berth keeps, and the services over it: the data directory, the blob store, the metadata database, the
 * registry services (one per account), identities, policies and the audit trail. {@code serve} builds the rest of
 * {@link BerthApp} on these; {@code gc} and {@code admin} need only these ({@link BerthApp#openStores}).
 */
public final class Stores implements AutoCloseable {
    private final Clock clock = Clock.systemUTC();
    private final BlobStore blobs;
    private final MetadataStore metadata;
    /** The database itself, for what works on its tables directly (vulnerability data); {@link #metadata} may be
     * it or the timing decorator over it. */
    private final MetadataStore database;
    private final RegistryServices services;
    private final RegistryId defaultAccount;
    private final MasterKey masterKey;
    private final Identities identities;
    private final Secrets secrets;
    private final PolicyCache policyCache;
    private final Policies policies;
    private final AsyncAuditLog audit;
    private final PullCounts pulls = new PullCounts();
    /** Other nodes' changes for the read cache; null on SQLite. */
    private final PostgresChangeFeed changeFeed;
    private final io.berth.core.kms.KeyService keyService;
    private final io.berth.core.kms.KeyCrypto keyCrypto;
    private final io.berth.core.envelope.EnvelopeBlobs envelopes;

    private Stores(BerthConfig config, MasterKey masterKey, BlobStore store, MetadataStore database,
                   BerthMetrics metrics, StoreCallObserver observer) {
        this.database = database;
        // what every reader sees: a blob whose plain form was dropped (only KMS repositories hold it) reads from a
        // sealed copy
        io.berth.core.envelope.PlainFormFallback fallback = new io.berth.core.envelope.PlainFormFallback(store);
        this.blobs = metrics == null ? fallback : new TimedBlobStore(fallback, metrics, observer);
        this.metadata = metrics == null ? database : new TimedMetadataStore(database, metrics, observer);
        MetadataStore metadata = this.metadata;
        // SQLite means one node, so what this node caches is exact. PostgreSQL may be shared by several nodes: their
        // changes reach this node's cache through the LISTEN/NOTIFY feed, and nothing is cached while it is down.
        boolean single = config.metadata().type() == MetadataConfig.MetadataType.SQLITE;
        this.changeFeed = single ? null : PostgresChangeFeed.forDatabase(jdbcConfig(config));
        this.services = new RegistryServices(this.blobs, metadata, clock,
                (single ? ServiceOptions.singleNode() : ServiceOptions.coherentSharedDatabase())
                        .withCreateOnPush(config.registry().createOnPush())
                        .withRegion(config.regions().regions().defaultRegion()),
                changeFeed);
        this.defaultAccount = config.auth().accountId();
        services.accounts().pin(defaultAccount);
        this.masterKey = masterKey;
        this.identities = new Identities(metadata, new SecretCipher(masterKey), clock);
        this.secrets = new Secrets(metadata, new SecretValueCipher(masterKey), clock, config.regions().regions());
        this.policyCache = new PolicyCache(metadata);
        this.policies = new Policies(metadata, policyCache, services.events());
        // the key service: material sealed under the master key; key policies on the IAM engine
        io.berth.core.kms.Keys keys = new io.berth.core.kms.Keys(metadata,
                new io.berth.server.crypto.KeyMaterialCipher(masterKey), config.auth().insecureNoAuth() ? null
                : new io.berth.server.access.KeyPolicyAccess(policyCache, clock), clock, config.regions().regions());
        this.keyService = new io.berth.core.kms.KeyService(keys);
        this.keyCrypto = new io.berth.core.kms.KeyCrypto(keys);
        services.useKeyGate(new io.berth.core.kms.KeyGate(keyService));
        // KMS repositories' blobs: sealed under random data keys their KMS keys wrap, always streamed
        this.envelopes = new io.berth.core.envelope.EnvelopeBlobs(store, metadata, keyCrypto,
                config.regions().regions(), clock);
        fallback.useEnvelopes(envelopes);
        services.useEnvelopes(envelopes);
        services.useSealedUploads(new io.berth.core.envelope.SealedUploads(envelopes, unencrypted(config, store),
                metadata, clock));
        List<AuditSink> sinks = new ArrayList<>();
        sinks.add(new MetadataAuditSink(metadata));
        config.audit().file().ifPresent(f -> sinks.add(new JsonLinesAuditSink(f)));
        this.audit = new AsyncAuditLog(sinks); // started last: nothing above can fail after its thread exists
        if (changeFeed != null) {
            changeFeed.start(services.cacheInvalidations()); // and its thread: until it is live nothing is cached
        }
    }

    /** Creates the data directory owner-only if needed, then opens the blob store and the database. */
    static Stores open(BerthConfig config) {
        return open(config, null);
    }

    /** @param metrics times the blob store's and the database's calls (null: not measured: the CLI commands) */
    static Stores open(BerthConfig config, BerthMetrics metrics) {
        return open(config, metrics, StoreCallObserver.NONE);
    }

    /** @param observer also told of each timed call (trace spans); only with {@code metrics} */
    static Stores open(BerthConfig config, BerthMetrics metrics, StoreCallObserver observer) {
        try {
            PrivateFiles.createDirectories(config.storage().data());
            String was = PrivateFiles.restrictDirectory(config.storage().data());
            if (was != null) {
                LoggerFactory.getLogger(Stores.class).info("data directory {} was {}, now owner-only (rwx------): "
                        + "it holds the database and every pushed layer", config.storage().data(), was);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.storage().data(), e);
        }
        // before the blob store: the filesystem store's key for blobs at rest is derived from it
        MasterKey masterKey = MasterKey.load(config.auth().masterKey(), config.storage().data());
        BlobStore blobs = openBlobStore(config, masterKey);
        try {
            MetadataStore metadata = openMetadata(config);
            try {
                return new Stores(config, masterKey, blobs, metadata, metrics, observer);
            } catch (RuntimeException e) {
                metadata.close();
                throw e;
            }
        } catch (RuntimeException e) {
            closeQuietly(blobs);
            throw e;
        }
    }

    private static BlobStore openBlobStore(BerthConfig config, MasterKey masterKey) {
        StorageConfig storage = config.storage();
        if (storage.type() == StorageConfig.StorageType.S3) {
            StorageConfig.S3 s3 = storage.s3().orElseThrow();
            try {
                return S3BlobStore.open(new S3Settings(s3.bucket(), s3.prefix(), s3.region(), s3.endpoint(),
                        s3.pathStyle(), s3.timeout()).withRedirect(storage.redirect())
                        .withPartConcurrency(s3.partConcurrency())
                        .withServerSideEncryption(storage.encryptAtRest()));
            } catch (S3SetupException e) {
                // refuse to start, naming the setting: a registry that cannot store layers is no registry
                throw new ConfigException(List.of(e.getMessage()));
            }
        }
        try {
            // blobs at rest under a key of their own (AES-256-GCM segments); the key also reads blobs written while
            // encryption was on after it is turned off
            return new FileSystemBlobStore(storage.data(), storage.archiveDirectory(),
                    new io.berth.core.crypto.SegmentedAead(masterKey.derive("berth/blob-at-rest/v1")),
                    storage.encryptAtRest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open blob store in " + storage.data(), e);
        }
    }

    /**
     * The blob store without Berth's own encryption at rest, for sealed uploads: their bytes are ciphertext already.
     * On the filesystem, a store over the same directories without the key (it reads both forms); S3's store as
     * is, since SSE-S3 is S3's.
     */
    private static BlobStore unencrypted(BerthConfig config, BlobStore store) {
        if (!(store instanceof FileSystemBlobStore)) {
            return store;
        }
        try {
            return new FileSystemBlobStore(config.storage().data(), config.storage().archiveDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open blob store in " + config.storage().data(), e);
        }
    }

    private static MetadataStore openMetadata(BerthConfig config) {
        return JdbcMetadataStore.open(jdbcConfig(config));
    }

    private static JdbcConfig jdbcConfig(BerthConfig config) {
        return switch (config.metadata().type()) {
            case SQLITE -> JdbcConfig.sqlite(config.sqliteFile());
            case POSTGRES -> JdbcConfig.postgres(config.metadata().url().orElseThrow(),
                    config.metadata().user().orElse(null), config.metadata().password().orElse(null));
        };
    }

    /** Every account's data plane; the ECR API picks the caller's account, {@code /v2/} the Host's. */
    public RegistryServices services() { return services; }

    public RegistryId defaultAccount() { return defaultAccount; }

    /** Encrypts stored secrets and signs tokens and cursors; from {@code auth.master-key} or the data directory. */
    public MasterKey masterKey() { return masterKey; }

    /** The Secrets Manager secrets of every account (pull-through cache credentials). */
    public Secrets secrets() { return secrets; }
    /** The key service's management operations (KMS API, and the ECR-managed key of KMS repositories). */
    public io.berth.core.kms.KeyService keyService() { return keyService; }

    /** The key service's cryptography, for callers and for the registry's envelope encryption. */
    public io.berth.core.kms.KeyCrypto keyCrypto() { return keyCrypto; }

    /**
     * Envelope encryption of KMS repositories' blobs; for replication, {@code addWrappingForKey} gives a blob's data
     * keys a wrapping under another KMS key.
     */
    public io.berth.core.envelope.EnvelopeBlobs envelopes() { return envelopes; }

    public Identities identities() { return identities; }

    /** Changes policies (ECR policy actions, {@code berth admin}). */
    public Policies policies() { return policies; }

    /** The cached policies that decisions read; a change elsewhere shows within {@link PolicyCache#POLL}. */
    public PolicyCache policyCache() { return policyCache; }

    public Clock clock() { return clock; }

    /** The audit trail (database, plus the JSON-lines file when {@code audit.file} is set). */
    public AsyncAuditLog audit() { return audit; }

    /** Pulls per repository since start (pulls are counted, not audited). */
    public PullCounts pulls() { return pulls; }

    public BlobStore blobs() { return blobs; }

    public MetadataStore metadata() { return metadata; }

    /** The heartbeats of the nodes serving this database ({@code berth admin nodes}). */
    public NodeDirectory nodes() { return new JdbcNodeDirectory((JdbcMetadataStore) database); }

    /** Fetches the configured vulnerability-data feeds into {@link #vulnerabilities()}, conditionally. */
    public io.berth.scanner.vulndb.feeds.FeedRefresher feedRefresher() {
        return new io.berth.scanner.vulndb.feeds.FeedRefresher(vulnerabilities(),
                new io.berth.scanner.vulndb.feeds.FeedStates((JdbcMetadataStore) database), clock,
                java.time.Duration.ofSeconds(30));
    }

    /** The imported vulnerability data, in the metadata database (issue 10 §2). */
    public VulnerabilityStore vulnerabilities() {
        return new JdbcVulnerabilityStore((JdbcMetadataStore) database);
    }

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
            if (changeFeed != null) {
                changeFeed.close();
            }
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
