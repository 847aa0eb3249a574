package io.berth.core.service;

import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data plane of every registry (account) on this node: one {@link RegistryService} per registry ID, all
 * sharing the stores and one read cache. Which registry a request addresses is the caller's decision (the OCI plane
 * takes it from the Host name, the ECR API from the caller's account).
 *
 * <p>Only accounts that exist ({@link KnownAccounts}) get a kept service, and at most {@link #MAX_CACHED} of them:
 * a request naming any other ID gets a service of its own that is dropped with the request (access control refuses
 * such requests before they use it). Kept services are never evicted, because a service holds the locks of its
 * upload sessions, and two live services for one account would not exclude each other.
 */
public final class RegistryServices {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Clock clock;
    private final ServiceOptions options;
    private final ReadCache cache;
    private final PullRecorder pulls;
    private final EventRecorder events;
    static final int MAX_CACHED = 10_000;

    private final ConcurrentHashMap<RegistryId, RegistryService> services = new ConcurrentHashMap<>();
    private final KnownAccounts accounts;
    /** Pulls and pushes of KMS-encrypted repositories need their key usable; null: no key service (tools). */
    private volatile io.berth.core.kms.KeyGate keyGate;
    /** KMS repositories' blobs sealed under data keys wrapped by their keys; null: off (tools, tests). */
    private volatile io.berth.core.envelope.EnvelopeBlobs envelopes;
    /** KMS repositories' upload sessions, sealed as they stream in; null: sealed on commit instead. */
    private volatile io.berth.core.envelope.SealedUploads sealedUploads;

    public RegistryServices(BlobStore blobs, MetadataStore metadata, Clock clock, ServiceOptions options) {
        this(blobs, metadata, clock, options, null);
    }

    /**
     * Over a database shared with other nodes, with {@code coherence} the feed of their changes: the read cache then
     * serves (with {@link ServiceOptions#tagCacheTtl} as a backstop bound) while the feed is live, and the feed
     * reports to {@link #cacheInvalidations()}.
     */
    public RegistryServices(BlobStore blobs, MetadataStore metadata, Clock clock, ServiceOptions options,
                            CacheCoherence coherence) {
        this.accounts = new KnownAccounts(metadata);
        this.blobs = blobs;
        this.metadata = metadata;
        this.clock = clock;
        this.options = options;
        this.cache = new ReadCache(options.tagCacheTtl(), coherence);
        this.pulls = new PullRecorder(metadata, clock);
        this.events = new EventRecorder(options.region(), clock);
    }

    public RegistryService forRegistry(RegistryId registryId) {
        RegistryService kept = services.get(registryId);
        if (kept != null) {
            return kept;
        }
        if (!accounts.exists(registryId) || services.size() >= MAX_CACHED) {
            return newService(registryId); // not kept: see the class comment
        }
        return services.computeIfAbsent(registryId, this::newService);
    }

    private RegistryService newService(RegistryId id) {
        io.berth.core.kms.KeyGate gate = keyGate;
        io.berth.core.envelope.EnvelopeBlobs sealed = envelopes;
        io.berth.core.envelope.SealedUploads sealing = sealedUploads;
        io.berth.core.spi.blob.UploadSessions plain = io.berth.core.spi.blob.UploadSessions.of(blobs);
        java.util.function.Function<io.berth.core.spi.meta.RepositoryRecord, io.berth.core.spi.blob.UploadSessions>
                sessions = gate == null || sealing == null ? null : r -> {
                    // a KMS repository's sessions are sealed as they stream in, under its key
                    io.berth.core.kms.KeyGate.RepositoryKey key = gate.repositoryKey(id, r.name(), r::settings);
                    io.berth.core.spi.blob.UploadSessions s = key == null ? null : sealing.forKey(key.form(),
                            key.keyArn());
                    return s == null ? plain : s;
                };
        RegistryService service = new StoreBackedRegistryService(blobs, metadata, id, clock, options, cache, pulls,
                sessions);
        return gate == null ? service : new KeyGatedRegistryService(service, id, metadata, gate,
                sealed == null ? null : new EnvelopedReads(sealed, blobs));
    }

    /** Where a feed of other nodes' changes drops what they made stale. */
    public CacheCoherence.Invalidations cacheInvalidations() { return cache; }
    /** Puts every registry's data plane behind {@code gate}; call before the first {@link #forRegistry}. */
    public void useKeyGate(io.berth.core.kms.KeyGate gate) {
        if (!services.isEmpty()) {
            throw new IllegalStateException("the key gate must be set before any registry service exists");
        }
        this.keyGate = gate;
    }

    /**
     * Serves KMS repositories' blobs from their envelope-encrypted copies (with the key gate); call before the
     * first {@link #forRegistry}.
     */
    public void useEnvelopes(io.berth.core.envelope.EnvelopeBlobs envelopes) {
        if (!services.isEmpty()) {
            throw new IllegalStateException("envelopes must be set before any registry service exists");
        }
        this.envelopes = envelopes;
    }

    /**
     * Seals KMS repositories' upload sessions as they stream in (with the envelopes); call before the first
     * {@link #forRegistry}. Without it they are written plain (at rest as the store keeps them) and sealed on commit.
     */
    public void useSealedUploads(io.berth.core.envelope.SealedUploads uploads) {
        if (!services.isEmpty()) {
            throw new IllegalStateException("sealed uploads must be set before any registry service exists");
        }
        this.sealedUploads = uploads;
    }

    /** The key gate, or null when there is no key service. */
    public io.berth.core.kms.KeyGate keyGate() { return keyGate; }

    /**
     * After replication linked a shared blob into a repository of this deployment (without the data plane's push
     * path): makes the destination read it byte-identical. A KMS destination needs its key usable (KmsException
     * otherwise, which fails the replication with that reason) and gets a wrapping of the blob's data keys for its
     * own key (or a sealed copy in its form); an AES256 destination gets the plain form back when only sealed copies
     * were left, so it does not depend on the source's key or on the source keeping the blob.
     */
    public void replicaLinked(RegistryId registry, io.berth.core.model.RepositoryName repo,
                              io.berth.core.model.Digest digest) {
        io.berth.core.kms.KeyGate gate = keyGate;
        io.berth.core.envelope.EnvelopeBlobs sealed = envelopes;
        if (gate == null || sealed == null) {
            return;
        }
        java.util.function.Supplier<io.berth.core.spi.meta.RepositorySettings> settings = () -> metadata.read(tx ->
                tx.repositories().get(registry, repo)).map(io.berth.core.spi.meta.RepositoryRecord::settings)
                .orElse(null);
        gate.require(registry, repo, settings);
        io.berth.core.kms.KeyGate.RepositoryKey key = gate.repositoryKey(registry, repo, settings);
        EnvelopedReads reads = new EnvelopedReads(sealed, blobs);
        if (key != null) {
            reads.ensure(key, digest);
        } else {
            reads.restorePlainForm(digest);
        }
    }

    /** The accounts that exist; shared with access control so one query a second serves both. */
    public KnownAccounts accounts() { return accounts; }

    /** How many registries have a kept service (for tests: it must not grow with unknown IDs). */
    public int cachedServiceCount() { return services.size(); }

    /**
     * The control-plane operations on the repositories of one registry (the ECR API's), on behalf of {@code actor}
     * (an ARN, or an {@link EventRecorder} name such as {@link EventRecorder#ADMIN}), whom their events name.
     */
    public RepositoryAdmin admin(RegistryId registryId, String actor) {
        return new RepositoryAdmin(metadata, cache, registryId, clock, events, actor);
    }

    /** The repository creation templates of one registry (the ECR API's). */
    public CreationTemplates templates(RegistryId registryId) {
        return new CreationTemplates(metadata, registryId);
    }

    /**
     * Creates repositories from their matching template on behalf of {@code actor} (whom the REPOSITORY_CREATED
     * event names); for pull-through cache and replication to call.
     */
    public TemplatedCreation creation(RegistryId registryId, String actor) {
        return new TemplatedCreation(metadata, registryId, clock, events, actor);
    }

    /** The lifecycle policies of one registry's repositories, on behalf of {@code actor}, whom their events name. */
    public LifecyclePolicies lifecyclePolicies(RegistryId registryId, String actor) {
        return new LifecyclePolicies(metadata, registryId, clock, events, actor);
    }

    /** StartLifecyclePolicyPreview and GetLifecyclePolicyPreview of one registry. */
    public LifecyclePreviews lifecyclePreviews(RegistryId registryId) {
        return new LifecyclePreviews(metadata, registryId, clock);
    }

    /**
     * Lifecycle evaluations and previews of every registry, for the job handlers: audit records go to {@code audit},
     * transition decisions to {@code transitions}.
     */
    public LifecycleRuns lifecycleRuns(io.berth.core.audit.AuditLog audit, LifecycleTransitions transitions) {
        return new LifecycleRuns(metadata, this, clock, audit, transitions);
    }

    /** The pull-time update exclusions of every registry (their answers cached for the pull path). */
    public PullExclusions pullExclusions() { return pulls.exclusions(); }

    /**
     * The archive storage class of one registry's images (UpdateImageStorageClass, lifecycle transitions and the
     * restore job), on behalf of {@code actor}, whom their events name.
     */
    public ImageArchive archive(RegistryId registryId, String actor) {
        return new ImageArchive(blobs, metadata, cache, registryId, clock, events, actor);
    }

    /** The image-level queries and deletes of one registry (the ECR API's), on behalf of {@code actor}. */
    public ImageCatalog images(RegistryId registryId, String actor) {
        return new ImageCatalog(metadata, cache, registryId, events, actor);
    }

    /** {@link #admin(RegistryId, String)} for the host's own tools ({@code berth admin}): events name berth:admin. */
    public RepositoryAdmin admin(RegistryId registryId) {
        return admin(registryId, EventRecorder.ADMIN);
    }

    /** How this node's services write events (for other writers of observable changes: policies, lifecycle). */
    public EventRecorder events() { return events; }

    /** Drops cached state of a deleted repository so a re-created one is looked up afresh. */
    public void repositoryDeleted(RegistryId registryId, io.berth.core.model.RepositoryName name) {
        cache.removeRepository(registryId, name);
    }
}
