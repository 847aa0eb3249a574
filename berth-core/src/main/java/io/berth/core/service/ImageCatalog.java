package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.ImageStorageRecord;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.ManifestStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RegistryEvent.DeleteReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image-level reads and deletes of one registry, as the ECR API sees images: a manifest with its tags. Pushes and
 * pulls go through {@link RegistryService}, so both APIs share validation, storage and tag immutability.
 */
public final class ImageCatalog {
    private final MetadataStore metadata;
    private final ReadCache cache;
    private final RegistryId registryId;
    private final EventRecorder events;
    /** Who the events of this catalog's deletes name. */
    private final String actor;

    ImageCatalog(MetadataStore metadata, ReadCache cache, RegistryId registryId, EventRecorder events, String actor) {
        this.metadata = metadata;
        this.cache = cache;
        this.registryId = registryId;
        this.events = events;
        this.actor = actor;
    }

    /**
     * A manifest, the tags pointing at it (in name order) and where it stands in the archive storage class.
     */
    public record Image(ManifestView manifest, List<Tag> tags, ImageStorageView storage) {
        /** An image that was never archived. */
        public Image(ManifestView manifest, List<Tag> tags) {
            this(manifest, tags, ImageStorageView.of(ImageStorageRecord.active(manifest.digest())));
        }
    }

    public enum TagStatus { TAGGED, UNTAGGED, ANY }

    /** ECR's {@code filter.imageStatus}: one status, or ANY. */
    public enum StatusFilter {
        ACTIVE, ARCHIVED, ACTIVATING, ANY;

        boolean accepts(ImageStatus status) {
            return this == ANY || name().equals(status.name());
        }
    }

    /** What untagging did: the digest the tag named, and whether that removed the image (its last tag). */
    public record Untagged(Digest digest, boolean imageDeleted) {}

    /**
     * Images in digest order strictly after {@code after} (null for the start) that pass {@code filter} and
     * {@code status}, at most {@code limit}; {@code hasMore} tells whether another page may follow. Four statements
     * per page, whatever its size and however many images the tag filter skips: the repository, the filtered
     * manifests, their storage states, and their tags as one range (a page's manifests are contiguous in digest order
     * among those the filter keeps, and an untagged page needs no tags). Only a status filter that drops images of
     * a page reads further.
     */
    public RegistryService.Page<Image> list(RepositoryName repo, Digest after, int limit, TagStatus filter) {
        return list(repo, after, limit, filter, StatusFilter.ANY);
    }

    /** {@link #list(RepositoryName, Digest, int, TagStatus)} of the images whose status passes {@code status}. */
    public RegistryService.Page<Image> list(RepositoryName repo, Digest after, int limit, TagStatus filter,
                                            StatusFilter status) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            ManifestStore.TagFilter tagFilter = switch (filter) {
                case ANY -> ManifestStore.TagFilter.ANY;
                case TAGGED -> ManifestStore.TagFilter.TAGGED;
                case UNTAGGED -> ManifestStore.TagFilter.UNTAGGED;
            };
            List<Image> out = new ArrayList<>();
            Digest cursor = after;
            while (true) {
                List<ManifestRecord> page = tx.manifests().list(r.id(), cursor, limit + 1, tagFilter);
                Map<Digest, ImageStorageRecord> storage = page.isEmpty() ? Map.of() : tx.imageStorage().between(
                        r.id(), page.get(0).digest(), page.get(page.size() - 1).digest());
                List<ManifestRecord> kept = new ArrayList<>();
                for (ManifestRecord m : page) {
                    if (status.accepts(storage.getOrDefault(m.digest(), ImageStorageRecord.active(m.digest()))
                            .status())) {
                        kept.add(m);
                    }
                }
                Map<Digest, List<Tag>> tags = kept.isEmpty() || filter == TagStatus.UNTAGGED ? Map.of()
                        : tx.tags().tagsBetween(r.id(), kept.get(0).digest(), kept.get(kept.size() - 1).digest());
                for (ManifestRecord m : kept) {
                    if (out.size() == limit) {
                        return new RegistryService.Page<>(out, true);
                    }
                    out.add(new Image(ManifestView.of(m), tags.getOrDefault(m.digest(), List.of()),
                            ImageStorageView.of(storage.getOrDefault(m.digest(), ImageStorageRecord.active(
                                    m.digest())))));
                }
                if (page.size() <= limit) {
                    return new RegistryService.Page<>(out, false);
                }
                // the status filter dropped some of this page: read on from its last row
                cursor = page.get(page.size() - 1).digest();
            }
        });
    }

    public Optional<Image> find(RepositoryName repo, Digest digest) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            return tx.manifests().get(r.id(), digest).map(m -> new Image(ManifestView.of(m),
                    tx.tags().tagsOf(r.id(), digest), ImageStorageView.of(tx.imageStorage().get(r.id(), digest)
                            .orElse(ImageStorageRecord.active(digest)))));
        });
    }

    /**
     * The images among {@code digests} (absent ones left out), by digest, whatever their storage status: four
     * statements for up to a few hundred digests (the repository, the manifests, their tags, their archive states),
     * as DescribeImages' imageIds needs.
     */
    public Map<Digest, Image> findAll(RepositoryName repo, Collection<Digest> digests) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            if (digests.isEmpty()) {
                return Map.<Digest, Image>of();
            }
            List<ManifestRecord> manifests = tx.manifests().getAll(r.id(), digests);
            Map<Digest, List<Tag>> tags = manifests.isEmpty() ? Map.of()
                    : tx.tags().tagsOf(r.id(), manifests.stream().map(ManifestRecord::digest).toList());
            Map<Digest, ImageStorageRecord> storage = manifests.isEmpty() ? Map.of() : tx.imageStorage().getAll(r.id(),
                    manifests.stream().map(ManifestRecord::digest).toList());
            Map<Digest, Image> out = new HashMap<>();
            for (ManifestRecord m : manifests) {
                out.put(m.digest(), new Image(ManifestView.of(m), tags.getOrDefault(m.digest(), List.of()),
                        ImageStorageView.of(storage.getOrDefault(m.digest(), ImageStorageRecord.active(m.digest())))));
            }
            return out;
        });
    }

    /** {@link #resolve} for many tags: the ones that exist, to their images' digests; two statements. */
    public Map<Tag, Digest> resolveAll(RepositoryName repo, Collection<Tag> tags) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            return tags.isEmpty() ? Map.<Tag, Digest>of() : tx.tags().resolveAll(r.id(), tags);
        });
    }

    public Optional<Digest> resolve(RepositoryName repo, Tag tag) {
        return metadata.read(tx -> tx.tags().resolve(require(tx, repo).id(), tag));
    }

    /** Index manifests of the repository that list {@code digest}. */
    public List<Digest> parentsOf(RepositoryName repo, Digest digest) {
        return metadata.read(tx -> tx.manifests().parentsOf(require(tx, repo).id(), digest));
    }

    /**
     * Deletes the image and all its tags; empty when it was not there, else the tags it had. An image an index
     * lists is refused with STILL_REFERENCED (the same guard as the {@code /v2/} delete).
     */
    public Optional<List<Tag>> deleteImage(RepositoryName repo, Digest digest) {
        return deleteImage(repo, digest, DeleteReason.USER);
    }

    /** {@link #deleteImage(RepositoryName, Digest)} for {@code reason}, which its IMAGE_DELETED event names. */
    public Optional<List<Tag>> deleteImage(RepositoryName repo, Digest digest, DeleteReason reason) {
        Optional<List<Tag>> result = metadata.write(tx -> {
            RepositoryRecord r = require(tx, repo);
            ReferenceGuard.requireNotListed(tx, r.id(), digest);
            List<Tag> tags = tx.tags().tagsOf(r.id(), digest);
            if (!tx.manifests().delete(r.id(), digest)) {
                return Optional.<List<Tag>>empty();
            }
            events.append(tx, events.deleted(registryId, repo, digest, tags, reason, actor));
            return Optional.of(tags);
        });
        repositoryId(repo).ifPresent(id -> {
            cache.removeTagsOf(id);
            cache.removeManifest(id, digest);
        });
        return result;
    }

    /**
     * Removes a tag. ECR: "When you remove the last tag from an image, the image is deleted" — unless an index
     * still lists it, in which case only the tag goes (the index would otherwise dangle). Empty when no such tag.
     */
    public Optional<Untagged> untag(RepositoryName repo, Tag tag) {
        Optional<Untagged> result = metadata.write(tx -> {
            RepositoryRecord r = require(tx, repo);
            Optional<Digest> digest = tx.tags().resolve(r.id(), tag);
            if (digest.isEmpty()) {
                return Optional.<Untagged>empty();
            }
            tx.tags().delete(r.id(), tag);
            boolean lastTag = tx.tags().tagsOf(r.id(), digest.get()).isEmpty();
            boolean delete = lastTag && tx.manifests().parentsOf(r.id(), digest.get()).isEmpty();
            if (delete) {
                tx.manifests().delete(r.id(), digest.get());
                events.append(tx, events.deleted(registryId, repo, digest.get(), List.of(tag), DeleteReason.USER,
                        actor));
            } else {
                events.append(tx, events.tagRemoved(registryId, repo, tag, digest.get(), actor));
            }
            return Optional.of(new Untagged(digest.get(), delete));
        });
        repositoryId(repo).ifPresent(id -> {
            cache.removeTag(id, tag);
            result.filter(Untagged::imageDeleted).ifPresent(u -> cache.removeManifest(id, u.digest()));
        });
        return result;
    }

    /**
     * Backdates an image's push time and/or last recorded pull time (null leaves one as it is), for tests of lifecycle
     * policies; false when the repository has no such image. The caller decides whether backdating is allowed.
     */
    public boolean setImageTimes(RepositoryName repo, Digest digest, java.time.Instant pushedAt,
                                 java.time.Instant pulledAt) {
        boolean set = metadata.write(tx -> tx.manifests().setTimes(require(tx, repo).id(), digest, pushedAt,
                pulledAt));
        repositoryId(repo).ifPresent(id -> cache.removeManifest(id, digest));
        return set;
    }

    /** Whether an image of the repository references the blob (ECR only hands out download URLs for those). */
    public boolean layerReferenced(RepositoryName repo, Digest blob) {
        return metadata.read(tx -> tx.manifests().referencesBlob(require(tx, repo).id(), blob));
    }

    /**
     * The size of a layer of the repository that is in the archive tier (every image holding it is archived), or
     * empty when it is not archived (BatchCheckLayerAvailability's ARCHIVED).
     */
    public Optional<Long> archivedLayerSize(RepositoryName repo, Digest blob) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            if (!tx.blobs().isLinked(r.id(), blob) || tx.imageStorage().archivedBlobs(Set.of(blob)).isEmpty()) {
                return Optional.<Long>empty();
            }
            return tx.blobs().get(blob).map(io.berth.core.spi.meta.BlobRecord::size);
        });
    }

    /** Manifests whose subject is {@code subject}, in digest order. */
    public List<ManifestView> referrers(RepositoryName repo, Digest subject) {
        return metadata.read(tx -> tx.manifests().referrers(require(tx, repo).id(), subject, null)).stream()
                .map(ManifestView::of).toList();
    }

    private Optional<Long> repositoryId(RepositoryName repo) {
        RepositoryRecord cached = cache.repository(registryId, repo);
        return Optional.ofNullable(cached).map(RepositoryRecord::id);
    }

    private RepositoryRecord require(MetadataStore.Tx tx, RepositoryName repo) {
        return tx.repositories().get(registryId, repo).orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN,
                "The repository with name '" + repo + "' does not exist in the registry with id '" + registryId
                        + "'", Map.of("name", repo.value())));
    }
}
