package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
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

    /** A manifest and the tags pointing at it (in name order). */
    public record Image(ManifestView manifest, List<Tag> tags) {}

    public enum TagStatus { TAGGED, UNTAGGED, ANY }

    /** What untagging did: the digest the tag named, and whether that removed the image (its last tag). */
    public record Untagged(Digest digest, boolean imageDeleted) {}

    /**
     * Images in digest order strictly after {@code after} (null for the start) that pass {@code filter}, at most
     * {@code limit}; {@code hasMore} tells whether another page may follow. Three statements per page, whatever its
     * size and however many images the filter skips: the repository, the filtered manifests, and their tags as one
     * range (a page's manifests are contiguous in digest order among those the filter keeps, and an untagged page
     * needs no tags).
     */
    public RegistryService.Page<Image> list(RepositoryName repo, Digest after, int limit, TagStatus filter) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            List<ManifestRecord> page = tx.manifests().list(r.id(), after, limit + 1, switch (filter) {
                case ANY -> ManifestStore.TagFilter.ANY;
                case TAGGED -> ManifestStore.TagFilter.TAGGED;
                case UNTAGGED -> ManifestStore.TagFilter.UNTAGGED;
            });
            boolean more = page.size() > limit;
            if (more) {
                page = page.subList(0, limit);
            }
            Map<Digest, List<Tag>> tags = page.isEmpty() || filter == TagStatus.UNTAGGED ? Map.of()
                    : tx.tags().tagsBetween(r.id(), page.get(0).digest(), page.get(page.size() - 1).digest());
            List<Image> out = new ArrayList<>(page.size());
            for (ManifestRecord m : page) {
                out.add(new Image(ManifestView.of(m), tags.getOrDefault(m.digest(), List.of())));
            }
            return new RegistryService.Page<>(out, more);
        });
    }

    public Optional<Image> find(RepositoryName repo, Digest digest) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            return tx.manifests().get(r.id(), digest).map(m -> new Image(ManifestView.of(m),
                    tx.tags().tagsOf(r.id(), digest)));
        });
    }

    /**
     * The images among {@code digests} (absent ones left out), by digest: three statements for up to a few hundred
     * digests (the repository, the manifests, their tags), as DescribeImages' imageIds needs.
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
            Map<Digest, Image> out = new HashMap<>();
            for (ManifestRecord m : manifests) {
                out.put(m.digest(), new Image(ManifestView.of(m), tags.getOrDefault(m.digest(), List.of())));
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

    /** Whether an image of the repository references the blob (ECR only hands out download URLs for those). */
    public boolean layerReferenced(RepositoryName repo, Digest blob) {
        return metadata.read(tx -> tx.manifests().referencesBlob(require(tx, repo).id(), blob));
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
