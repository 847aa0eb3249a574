package io.berth.core.service;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory copies of what the manifest GET path reads, so a pull by tag is served without a database round trip.
 * On a single node (a tag TTL above zero) everything is cached and this node's writes and deletes keep it exact.
 * With a TTL of zero (several nodes over one database) nothing is cached: another node's tag moves and deletes
 * would go unseen.
 */
final class ReadCache {
    private static final int MAX_TAGS = 200_000;
    private static final int MAX_MANIFESTS = 20_000;
    private static final int MAX_CACHED_MANIFEST_BYTES = 256 * 1024;
    /** All cached manifest bytes together: the heap is small (the launcher caps it), so the cache is bounded too. */
    private static final long MAX_TOTAL_MANIFEST_BYTES = 24L * 1024 * 1024;

    private record RepositoryKey(RegistryId registryId, RepositoryName name) {}

    private record TagKey(long repositoryId, Tag tag) {}

    private record TagEntry(Digest digest, long expiresAtNanos) {}

    private record ManifestKey(long repositoryId, Digest digest) {}

    private final long tagTtlNanos;
    private final ConcurrentHashMap<RepositoryKey, RepositoryRecord> repositories = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TagKey, TagEntry> tags = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ManifestKey, RegistryService.StoredManifest> manifests =
            new ConcurrentHashMap<>();
    /**
     * Bumped by every manifest removal, so a read that began before a removal (an archive, a delete) cannot put
     * back what the removal dropped: see {@link #manifestStamp} and {@link #putManifest(long,
     * RegistryService.StoredManifest, long)}.
     */
    private final java.util.concurrent.atomic.AtomicLong manifestRemovals = new java.util.concurrent.atomic.AtomicLong();
    /** Approximate bytes in {@link #manifests}: counts additions since the last clear (removals are not subtracted). */
    private final java.util.concurrent.atomic.AtomicLong manifestBytes = new java.util.concurrent.atomic.AtomicLong();

    ReadCache(Duration tagTtl) {
        long nanos;
        try {
            nanos = tagTtl.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        this.tagTtlNanos = nanos;
    }

    /**
     * A repository's row. Cached only on a single node (a tag TTL above zero): with several nodes another node may
     * delete and re-create the repository, and a stale ID would then point at rows that are gone.
     */
    RepositoryRecord repository(RegistryId registryId, RepositoryName name) {
        return tagTtlNanos <= 0 ? null : repositories.get(new RepositoryKey(registryId, name));
    }

    void putRepository(RepositoryRecord record) {
        if (tagTtlNanos > 0) {
            repositories.put(new RepositoryKey(record.registryId(), record.name()), record);
        }
    }

    /** For repository deletes: the ID is gone, and a re-created repository gets a new one. */
    void removeRepository(RegistryId registryId, RepositoryName name) {
        RepositoryRecord removed = repositories.remove(new RepositoryKey(registryId, name));
        if (removed != null) {
            removeTagsOf(removed.id());
            manifests.keySet().removeIf(k -> k.repositoryId == removed.id());
        }
    }

    Digest tag(long repositoryId, Tag tag) {
        if (tagTtlNanos <= 0) {
            return null;
        }
        TagEntry e = tags.get(new TagKey(repositoryId, tag));
        if (e == null || System.nanoTime() - e.expiresAtNanos > 0) {
            return null;
        }
        return e.digest;
    }

    void putTag(long repositoryId, Tag tag, Digest digest) {
        if (tagTtlNanos <= 0) {
            return;
        }
        if (tags.size() >= MAX_TAGS) {
            tags.clear(); // crude but bounded; refills from the database on demand
        }
        tags.put(new TagKey(repositoryId, tag), new TagEntry(digest, System.nanoTime() + tagTtlNanos));
    }

    void removeTag(long repositoryId, Tag tag) {
        tags.remove(new TagKey(repositoryId, tag));
    }

    /** Drops every cached tag of a repository, for deletes that may untag several at once. */
    void removeTagsOf(long repositoryId) {
        tags.keySet().removeIf(k -> k.repositoryId == repositoryId);
    }

    /** Single node only, like repositories: another node's delete would otherwise go unseen here. */
    RegistryService.StoredManifest manifest(long repositoryId, Digest digest) {
        return tagTtlNanos <= 0 ? null : manifests.get(new ManifestKey(repositoryId, digest));
    }

    void putManifest(long repositoryId, RegistryService.StoredManifest manifest) {
        if (tagTtlNanos <= 0 || manifest.content().length > MAX_CACHED_MANIFEST_BYTES) {
            return;
        }
        if (manifests.size() >= MAX_MANIFESTS
                || manifestBytes.addAndGet(manifest.content().length) > MAX_TOTAL_MANIFEST_BYTES) {
            manifests.clear(); // crude but bounded; refills from the database on demand
            manifestBytes.set(manifest.content().length);
        }
        manifests.put(new ManifestKey(repositoryId, manifest.digest()), manifest);
    }

    void removeManifest(long repositoryId, Digest digest) {
        manifestRemovals.incrementAndGet();
        manifests.remove(new ManifestKey(repositoryId, digest));
    }

    /** Taken before a database read whose result may be cached. */
    long manifestStamp() {
        return manifestRemovals.get();
    }

    /** Caches what a read returned unless a removal happened since {@code stamp} was taken (then it may be stale). */
    void putManifest(long repositoryId, RegistryService.StoredManifest manifest, long stamp) {
        putManifest(repositoryId, manifest);
        if (manifestRemovals.get() != stamp) {
            manifests.remove(new ManifestKey(repositoryId, manifest.digest()));
        }
    }
}
