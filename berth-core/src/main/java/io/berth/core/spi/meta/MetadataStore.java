package io.berth.core.spi.meta;

import java.util.function.Function;

/**
 * Registry metadata in SQL: repositories, tags, manifests, blob records, repository-to-blob links,
 * manifest-to-blob references and upload sessions are rows, never files. One JDBC implementation serves SQLite and
 * PostgreSQL; both must pass {@code AbstractMetadataStoreContractTest}.
 *
 * <p>All access goes through a transaction. {@link #read} may run on a replica-safe read-only connection;
 * {@link #write} runs a read-write transaction that commits when {@code work} returns and rolls back when it throws.
 * Implementations retry neither: a write that loses a race surfaces as the conflict the store method documents.
 */
public interface MetadataStore extends AutoCloseable {

    <T> T read(Function<Tx, T> work);

    <T> T write(Function<Tx, T> work);

    /**
     * A write whose commit does not wait for the disk: it survives a crash of the process (kill -9) but may be
     * lost with the operating system (power failure). For bookkeeping that is harmless to lose or that a later
     * {@link #write} covers anyway (its sync makes every earlier commit durable too): an upload session's row, the
     * grace-period stamp an upload sets before it commits its bytes. Never for anything acknowledged to a client.
     */
    default <T> T writeUnsynced(Function<Tx, T> work) {
        return write(work);
    }

    /** For the start line, such as {@code sqlite:./data/berth.db}. */
    String describe();

    /** Throws when the database is unreachable or migrations are not applied; used by {@code /readyz}. */
    void checkHealth();

    @Override
    void close();

    /** The stores visible inside one transaction. */
    interface Tx {
        RepositoryStore repositories();

        TagStore tags();

        ManifestStore manifests();

        BlobRecordStore blobs();

        UploadStore uploads();

        IdentityStore identities();

        AuditStore audit();

        PolicyStore policies();

        CreationTemplateStore templates();

        PullExclusionStore pullExclusions();

        /** Pull-through cache rules and the upstream check times of cached tags. */
        PullThroughRuleStore pullThroughRules();

        /** Replication configurations and per-destination image statuses. */
        ReplicationStore replication();

        /** Lifecycle policies by repository ID. */
        LifecyclePolicyStore lifecyclePolicies();

        /** Lifecycle policy previews and their results, by repository ID. */
        LifecyclePreviewStore lifecyclePreviews();

        /** The event stream; appends commit or roll back with the change they describe. */
        EventStore events();

        JobStore jobs();

        /** Scanning configuration and each image's last scan. */
        ScanStore scans();

        /** Image status in the archive storage class, and which blobs are in the archive tier. */
        ImageStorageStore imageStorage();

        /** Signing roots, profiles, jobs, configuration, image statuses and pull requirements. */
        SigningStore signing();
        /** Secrets Manager secrets (pull-through credentials) and their sealed values. */
        SecretStore secrets();
        /** The key service's keys, key versions and aliases. */
        KmsStore kms();

        /** Sealed copies of KMS repositories' blobs and their data keys' wrappings. */
        EnvelopeStore envelopes();

        /** Webhook receivers and their delivery log. */
        WebhookStore webhooks();

        /** The web console's sessions (hashed IDs), shared by the nodes. */
        ConsoleSessionStore consoleSessions();
    }
}
