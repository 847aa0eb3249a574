package io.berth.core.service;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.event.EventRecorder;
import io.berth.core.error.RegistryException;
import io.berth.core.manifest.ManifestParser;
import io.berth.core.manifest.ParsedManifest;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.Reference;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.DeleteReason;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RepositorySettings;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link RegistryService} over a {@link BlobStore} and a {@link MetadataStore}. */
public class StoreBackedRegistryService implements RegistryService {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Clock clock;
    private final ReadCache cache;
    private final Repositories repositories;
    private final BlobOperations blobOps;
    private final PullRecorder pulls;
    private final CreateGuard createGuard;
    private final RegistryId registryId;
    /** Who pulls through this view (for pull-time exclusions); null when not known. */
    private final String pullerArn;
    private final EventRecorder events;
    /** Who the events of this view's writes name (see {@link #actingAs}). */
    private final String actor;

    public StoreBackedRegistryService(BlobStore blobs, MetadataStore metadata, RegistryId registryId, Clock clock) {
        this(blobs, metadata, registryId, clock, ServiceOptions.singleNode());
    }

    public StoreBackedRegistryService(BlobStore blobs, MetadataStore metadata, RegistryId registryId, Clock clock,
                                      ServiceOptions options) {
        this(blobs, metadata, registryId, clock, options, new ReadCache(options.tagCacheTtl()),
                new PullRecorder(metadata, clock), null);
    }

    /** For {@link RegistryServices}: one service per registry, all sharing one read cache. */
    StoreBackedRegistryService(BlobStore blobs, MetadataStore metadata, RegistryId registryId, Clock clock,
                               ServiceOptions options, ReadCache cache, PullRecorder pulls,
                               java.util.function.Function<io.berth.core.spi.meta.RepositoryRecord,
                                       io.berth.core.spi.blob.UploadSessions> sessions) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.clock = clock;
        this.cache = cache;
        this.pulls = pulls;
        this.events = new EventRecorder(options.region(), clock);
        this.repositories = new Repositories(metadata, cache, registryId, clock, options.createOnPush(), events);
        io.berth.core.spi.blob.UploadSessions plain = io.berth.core.spi.blob.UploadSessions.of(blobs);
        this.blobOps = new BlobOperations(blobs, metadata, repositories, clock, options.maxBlobBytes(),
                sessions == null ? r -> plain : sessions);
        this.createGuard = CreateGuard.ANYONE;
        this.registryId = registryId;
        this.pullerArn = null;
        this.actor = EventRecorder.ANONYMOUS;
    }

    /**
     * A view of {@code base} (same stores, caches and upload locks) whose pushes ask {@code guard}, whose events
     * name {@code actor} and whose pulls are by {@code pullerArn}.
     */
    private StoreBackedRegistryService(StoreBackedRegistryService base, CreateGuard guard, String actor,
                                       String pullerArn) {
        this.blobs = base.blobs;
        this.metadata = base.metadata;
        this.clock = base.clock;
        this.cache = base.cache;
        this.pulls = base.pulls;
        this.repositories = base.repositories;
        this.blobOps = base.blobOps;
        this.createGuard = guard;
        this.registryId = base.registryId;
        this.pullerArn = pullerArn;
        this.events = base.events;
        this.actor = actor;
    }

    @Override
    public RegistryService guardingCreation(CreateGuard guard) {
        return new StoreBackedRegistryService(this, guard, actor, pullerArn);
    }

    @Override
    public RegistryService pullingAs(String principalArn) {
        return new StoreBackedRegistryService(this, createGuard, actor, principalArn);
    }

    @Override
    public RegistryService actingAs(Principal principal) {
        return new StoreBackedRegistryService(this, createGuard, EventRecorder.actor(principal), pullerArn);
    }

    @Override
    public RegistryService actingAsServer(String serverActor) {
        if (!serverActor.startsWith("berth:")) {
            throw new IllegalArgumentException("a server actor is named berth:<part>, got " + serverActor);
        }
        return new StoreBackedRegistryService(this, createGuard, serverActor, pullerArn);
    }

    // ---- blobs and uploads: see BlobOperations ----

    @Override
    public BlobStat statBlob(RepositoryName repo, Digest digest) {
        return blobOps.stat(repo, digest);
    }

    @Override
    public BlobContent openBlob(RepositoryName repo, Digest digest, long offset, long length) {
        return BlobContent.of(blobOps.open(digest, offset, length));
    }

    @Override
    public java.util.Optional<java.net.URI> blobRedirect(RepositoryName repo, Digest digest,
                                                         java.time.Duration validity) {
        return blobOps.redirect(digest, validity);
    }

    @Override
    public void deleteBlob(RepositoryName repo, Digest digest) {
        blobOps.delete(repo, digest);
    }

    @Override
    public UploadStatus startUpload(RepositoryName repo) {
        return blobOps.start(repo, createGuard, actor);
    }

    @Override
    public UploadStatus uploadStatus(RepositoryName repo, String uploadId) {
        return blobOps.status(repo, uploadId);
    }

    @Override
    public UploadStatus appendUpload(RepositoryName repo, String uploadId, InputStream body, Long rangeStart,
                                     long expectedLength) {
        return blobOps.append(repo, uploadId, body, rangeStart, expectedLength);
    }

    @Override
    public BlobStat completeUpload(RepositoryName repo, String uploadId, Digest digest, InputStream body,
                                   Long rangeStart, long expectedLength) {
        return blobOps.complete(repo, uploadId, digest, body, rangeStart, expectedLength);
    }

    @Override
    public BlobStat uploadMonolithic(RepositoryName repo, Digest digest, InputStream body, long expectedLength) {
        return blobOps.monolithic(repo, digest, body, expectedLength, createGuard, actor);
    }

    @Override
    public void cancelUpload(RepositoryName repo, String uploadId) {
        blobOps.cancel(repo, uploadId);
    }

    @Override
    public Optional<BlobStat> mount(RepositoryName repo, Digest digest, Optional<RepositoryName> from) {
        return blobOps.mount(repo, digest, from, createGuard, actor);
    }

    @Override
    public Optional<BlobStat> mountFromAny(RepositoryName repo, Digest digest,
                                           java.util.function.Predicate<RepositoryName> readable) {
        return blobOps.mountFromAny(repo, digest, readable, createGuard, actor);
    }

    // ---- manifests ----

    @Override
    public StoredManifest getManifest(RepositoryName repo, Reference reference) {
        RepositoryRecord r = repositories.require(repo);
        Digest digest = reference instanceof Reference.ByDigest d ? d.digest()
                : resolveTag(r.id(), ((Reference.ByTag) reference).tag());
        StoredManifest cached = cache.manifest(r.id(), digest);
        if (cached != null) {
            pulls.pulled(registryId, r.id(), digest, pullerArn);
            return cached;
        }
        long stamp = cache.stamp();
        StoredManifest m = metadata.read(tx -> {
            Optional<ManifestRecord> rec = tx.manifests().get(r.id(), digest);
            if (rec.isPresent()) {
                // an archived image cannot be pulled (ECR answers 404); only ACTIVE manifests are ever cached, and
                // archiving drops the cached copy
                tx.imageStorage().get(r.id(), digest).filter(s -> s.status() != ImageStatus.ACTIVE)
                        .ifPresent(s -> {
                            throw ImageArchive.notPullable(reference, s.status());
                        });
            }
            return rec;
        }).map(rec -> new StoredManifest(rec.digest(), rec.mediaType(), rec.content(), rec.subject()))
                .orElseThrow(() -> manifestUnknown(reference));
        cache.putManifest(r.id(), m, stamp);
        pulls.pulled(registryId, r.id(), digest, pullerArn);
        return m;
    }

    private Digest resolveTag(long repositoryId, Tag tag) {
        Digest cached = cache.tag(repositoryId, tag);
        if (cached != null) {
            return cached;
        }
        long stamp = cache.stamp();
        Digest digest = metadata.read(tx -> tx.tags().resolve(repositoryId, tag))
                .orElseThrow(() -> manifestUnknown(new Reference.ByTag(tag)));
        cache.putTag(repositoryId, tag, digest, stamp);
        return digest;
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Reference reference, String contentType, byte[] body) {
        return reference instanceof Reference.ByDigest d
                ? putManifest(repo, d.digest(), null, contentType, body)
                : putManifest(repo, null, ((Reference.ByTag) reference).tag(), contentType, body);
    }

    @Override
    public PushedManifest putManifest(RepositoryName repo, Digest expectedDigest, Tag tag, String contentType,
                                      byte[] body) {
        ParsedManifest parsed = ManifestParser.parse(contentType, body);
        Digest digest;
        if (expectedDigest != null) {
            digest = Digest.compute(expectedDigest.algorithm(), body);
            if (!digest.equals(expectedDigest)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content hashes to " + digest
                        + ", not to the digest in the URL", Map.of("digest", expectedDigest.toString()));
            }
        } else {
            digest = Digest.sha256Of(body);
        }
        RepositoryRecord r = repositories.forPush(repo, createGuard, actor);
        Set<Digest> childDigests = parsed.children().stream().map(Descriptor::digest)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        boolean changed = repositories.writingInto(r, () -> metadata.write(tx -> {
            Set<Digest> linked = tx.blobs().linked(r.id(), parsed.blobs());
            Set<Digest> live = tx.blobs().lockLive(linked);
            for (Digest blob : parsed.blobs()) {
                if (!live.contains(blob)) {
                    throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                            "manifest references blob " + blob + ", which is not in repository " + repo,
                            Map.of("digest", blob.toString()));
                }
            }
            long imageSize = parsed.layerSize();
            if (!childDigests.isEmpty()) {
                Set<Digest> present = tx.manifests().existing(r.id(), childDigests);
                for (Digest child : childDigests) {
                    if (!present.contains(child)) {
                        throw new RegistryException(ErrorCode.MANIFEST_CHILD_UNKNOWN, "index references manifest "
                                + child + ", which is not in repository " + repo, Map.of("digest", child.toString()));
                    }
                }
                imageSize = indexSize(tx, r.id(), childDigests);
            }
            boolean inserted = tx.manifests().putIfAbsent(r.id(), new ManifestRecord(digest, parsed.mediaType(),
                    parsed.artifactType(), parsed.subject(), body, imageSize, clock.instant()), parsed.blobs(),
                    childDigests);
            List<RegistryEvent> happened = new ArrayList<>(2);
            if (inserted) {
                happened.add(parsed.subject() == null ? events.pushed(r.registryId(), repo, digest, tag, actor)
                        : events.referrerPushed(r.registryId(), repo, digest, tag, actor, parsed.subject(),
                                parsed.mediaType(), parsed.artifactType()));
            }
            // archived blobs this push needs come back; a re-pushed archived image is ACTIVE again at once (ECR)
            boolean restored = ImageArchive.restoreForPush(tx, blobs, r.id(), digest, parsed.blobs(),
                    clock.instant());
            if (restored) {
                happened.add(events.storageChanged(RegistryEvent.Type.IMAGE_ACTIVATED, r.registryId(), repo, digest,
                        tx.tags().tagsOf(r.id(), digest), RegistryEvent.ArchiveReason.PUSH, actor));
            }
            boolean tagChanged = tag != null && putTag(tx, r, repo, tag, digest, inserted, happened);
            events.append(tx, happened);
            return inserted || tagChanged || restored;
        }));
        if (tag != null) {
            cache.putTag(r.id(), tag, digest);
        }
        return new PushedManifest(digest, parsed.subject(), changed);
    }

    /**
     * Points the tag at the digest, honouring the repository's tag mutability as it is in this transaction (not as
     * cached: another node may have changed it). An immutable tag is only ever created with
     * {@code putIfAbsent}, whose unique key lets exactly one of two racing pushes win; re-pushing the digest it
     * already names is no change. Returns whether the tag changed.
     */
    private boolean putTag(MetadataStore.Tx tx, RepositoryRecord r, RepositoryName repo, Tag tag, Digest digest,
                           boolean newImage, List<RegistryEvent> happened) {
        RepositorySettings settings = tx.repositories().get(r.registryId(), repo)
                .map(RepositoryRecord::settings).orElse(r.settings());
        if (!settings.isImmutable(tag.value())) {
            Optional<Digest> previous = tx.tags().put(r.id(), tag, digest, clock.instant());
            boolean changed = previous.isEmpty() || !previous.get().equals(digest);
            if (changed && (!newImage || previous.isPresent())) {
                // a new image's first tag is part of its IMAGE_PUSHED event; an existing image tagged, or any tag
                // moved away from another image, is a change of its own
                happened.add(events.tagChanged(r.registryId(), repo, tag, digest, previous.orElse(null), actor));
            }
            return changed;
        }
        if (tx.tags().putIfAbsent(r.id(), tag, digest, clock.instant())) {
            if (!newImage) {
                happened.add(events.tagChanged(r.registryId(), repo, tag, digest, null, actor));
            }
            return true;
        }
        Optional<Digest> current = tx.tags().resolve(r.id(), tag);
        if (current.isPresent() && current.get().equals(digest)) {
            return false;
        }
        throw new RegistryException(ErrorCode.TAG_IMMUTABLE, "The image tag '" + tag + "' already exists in the '"
                + repo + "' repository and cannot be overwritten because the repository is immutable.",
                Map.of("tag", tag.value()));
    }

    /** ECR's size of a manifest list: the largest size among the manifests it lists. */
    private static long indexSize(MetadataStore.Tx tx, long repositoryId, Set<Digest> children) {
        long max = 0;
        for (Digest child : children) {
            max = Math.max(max, tx.manifests().get(repositoryId, child).map(ManifestRecord::imageSize).orElse(0L));
        }
        return max;
    }

    @Override
    public void deleteManifest(RepositoryName repo, Reference reference) {
        RepositoryRecord r = repositories.require(repo);
        boolean deleted;
        if (reference instanceof Reference.ByTag t) {
            deleted = metadata.write(tx -> {
                Optional<Digest> named = tx.tags().resolve(r.id(), t.tag());
                if (named.isEmpty() || !tx.tags().delete(r.id(), t.tag())) {
                    return false;
                }
                events.append(tx, events.tagRemoved(r.registryId(), repo, t.tag(), named.get(), actor));
                return true;
            });
            cache.removeTag(r.id(), t.tag());
        } else {
            Digest digest = ((Reference.ByDigest) reference).digest();
            deleted = metadata.write(tx -> {
                ReferenceGuard.requireNotListed(tx, r.id(), digest);
                List<Tag> tags = tx.tags().tagsOf(r.id(), digest);
                if (!tx.manifests().delete(r.id(), digest)) {
                    return false;
                }
                events.append(tx, events.deleted(r.registryId(), repo, digest, tags, DeleteReason.USER, actor));
                return true;
            });
            cache.removeTagsOf(r.id());
            cache.removeManifest(r.id(), digest);
        }
        if (!deleted) {
            throw manifestUnknown(reference);
        }
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactType) {
        Optional<RepositoryRecord> r = repositories.find(repo);
        if (r.isEmpty()) {
            return List.of();
        }
        List<ManifestRecord> records = metadata.read(tx -> tx.manifests().referrers(r.get().id(), subject,
                artifactType));
        List<Descriptor> out = new ArrayList<>(records.size());
        for (ManifestRecord m : records) {
            Map<String, String> annotations = ManifestParser.parse(m.mediaType(), m.content()).annotations();
            out.add(new Descriptor(m.mediaType(), m.digest(), m.size(), m.artifactType(), annotations));
        }
        return out;
    }

    // ---- listing ----

    @Override
    public Page<Tag> listTags(RepositoryName repo, String last, int limit) {
        RepositoryRecord r = repositories.require(repo);
        if (limit <= 0) {
            return new Page<>(List.of(), false);
        }
        List<Tag> tags = metadata.read(tx -> tx.tags().list(r.id(), last, limit + 1));
        return page(tags, limit);
    }

    @Override
    public Page<RepositoryName> catalog(String last, int limit) {
        if (limit <= 0) {
            return new Page<>(List.of(), false);
        }
        List<RepositoryName> names = metadata.read(tx -> tx.repositories().listNames(repositories.registryId(), last,
                limit + 1));
        return page(names, limit);
    }

    private static <T> Page<T> page(List<T> items, int limit) {
        return items.size() > limit ? new Page<>(List.copyOf(items.subList(0, limit)), true) : new Page<>(items,
                false);
    }

    private static RegistryException manifestUnknown(Reference reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry",
                Map.of(reference instanceof Reference.ByTag ? "tag" : "digest", reference.toString()));
    }
}
