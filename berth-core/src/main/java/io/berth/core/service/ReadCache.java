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
 * On a single node (a tag TTL above zero, no {@link CacheCoherence}) everything is cached and this node's writes and
 * deletes keep it exact. Over a shared database with a {@link CacheCoherence} feed, entries are cached while the feed
 * is live and dropped per repository as other nodes' changes are reported; this node's own writes drop what they
 * touch rather than writing through (another node may have written the same key a moment later). With a TTL of zero
 * and no feed nothing is cached.
 *
 * <p>Every read that fills an entry takes a {@link #stamp} first and its entry is dropped again if any invalidation
 * happened meanwhile: a read that began before another node's commit cannot put back what that commit's
 * invalidation dropped.
 */
final class ReadCache implements CacheCoherence.Invalidations {
    private static final int MAX_TAGS = 200_000;
    private static final int MAX_MANIFESTS = 20_000;
    private static final int MAX_CACHED_MANIFEST_BYTES = 256 * 1024;
    /** All cached manifest bytes together: the heap is small (the launcher caps it), so the cache is bounded too. */
    private static final long MAX_TOTAL_MANIFEST_BYTES = 24L * 1024 * 1024;

    private record RepositoryKey(RegistryId registryId, RepositoryName name) {}

    private record TagEntry(Digest digest, long expiresAtNanos) {}

    private final long tagTtlNanos;
    /** Null on a single node; else the feed without which nothing is served from memory. */
    private final CacheCoherence coherence;
    private final ConcurrentHashMap<RepositoryKey, RepositoryRecord> repositories = new ConcurrentHashMap<>();
    /** Which key a repository ID is cached under, so another node's change to it drops it without a scan. */
    private final ConcurrentHashMap<Long, RepositoryKey> repositoryKeys = new ConcurrentHashMap<>();
    private final ByRepository<Tag, TagEntry> tags = new ByRepository<>();
    private final ByRepository<Digest, RegistryService.StoredManifest> manifests = new ByRepository<>();
    /**
     * Bumped by every removal and invalidation, so a read that began before one (an archive, a delete, another
     * node's commit) cannot put back what it dropped: see {@link #stamp}.
     */
    private final java.util.concurrent.atomic.AtomicLong invalidations = new java.util.concurrent.atomic.AtomicLong();
    /** Approximate bytes in {@link #manifests}: counts additions since the last clear (removals are not subtracted). */
    private final java.util.concurrent.atomic.AtomicLong manifestBytes = new java.util.concurrent.atomic.AtomicLong();

    ReadCache(Duration tagTtl) {
        this(tagTtl, null);
    }

    ReadCache(Duration tagTtl, CacheCoherence coherence) {
        this.coherence = coherence;
        long nanos;
        try {
            nanos = tagTtl.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        this.tagTtlNanos = nanos;
    }

    /** Whether entries may be served and filled now. */
    private boolean on() {
        return tagTtlNanos > 0 && (coherence == null || coherence.live());
    }

    /** Taken before a database read whose result may be cached; see the class comment. */
    long stamp() {
        return invalidations.get();
    }

    @Override
    public void repositoryChanged(long repositoryId) {
        invalidations.incrementAndGet();
        RepositoryKey key = repositoryKeys.remove(repositoryId);
        if (key != null) {
            repositories.remove(key);
        }
        tags.removeRepository(repositoryId);
        manifests.removeRepository(repositoryId);
    }

    @Override
    public void everythingChanged() {
        invalidations.incrementAndGet();
        repositories.clear();
        repositoryKeys.clear();
        tags.clear();
        manifests.clear();
        manifestBytes.set(0);
    }

    /**
     * A repository's row. Without a coherence feed, several nodes do not cache it: another node may delete and
     * re-create the repository, and a stale ID would then point at rows that are gone.
     */
    RepositoryRecord repository(RegistryId registryId, RepositoryName name) {
        return on() ? repositories.get(new RepositoryKey(registryId, name)) : null;
    }

    /** What this node just wrote: kept on a single node, dropped over a shared database (see the class comment). */
    void putRepository(RepositoryRecord record) {
        RepositoryKey key = new RepositoryKey(record.registryId(), record.name());
        if (coherence != null) {
            invalidations.incrementAndGet();
            repositories.remove(key);
        } else if (on()) {
            fillRepository(key, record);
        }
    }

    /** What a read found, unless an invalidation happened since {@code stamp}. */
    void putRepository(RepositoryRecord record, long stamp) {
        if (!on()) {
            return;
        }
        RepositoryKey key = new RepositoryKey(record.registryId(), record.name());
        fillRepository(key, record);
        if (invalidations.get() != stamp) {
            repositories.remove(key);
        }
    }

    private void fillRepository(RepositoryKey key, RepositoryRecord record) {
        repositoryKeys.put(record.id(), key);
        repositories.put(key, record);
    }

    /** For repository deletes: the ID is gone, and a re-created repository gets a new one. */
    void removeRepository(RegistryId registryId, RepositoryName name) {
        invalidations.incrementAndGet();
        RepositoryRecord removed = repositories.remove(new RepositoryKey(registryId, name));
        if (removed != null) {
            repositoryKeys.remove(removed.id());
            tags.removeRepository(removed.id());
            manifests.removeRepository(removed.id());
        }
    }

    Digest tag(long repositoryId, Tag tag) {
        if (!on()) {
            return null;
        }
        TagEntry e = tags.get(repositoryId, tag);
        if (e == null || System.nanoTime() - e.expiresAtNanos > 0) {
            return null;
        }
        return e.digest;
    }

    /** What this node just wrote: kept on a single node, dropped over a shared database (see the class comment). */
    void putTag(long repositoryId, Tag tag, Digest digest) {
        if (coherence != null) {
            removeTag(repositoryId, tag);
        } else if (on()) {
            fillTag(repositoryId, tag, digest);
        }
    }

    /** What a read found, unless an invalidation happened since {@code stamp}. */
    void putTag(long repositoryId, Tag tag, Digest digest, long stamp) {
        if (!on()) {
            return;
        }
        fillTag(repositoryId, tag, digest);
        if (invalidations.get() != stamp) {
            tags.remove(repositoryId, tag);
        }
    }

    private void fillTag(long repositoryId, Tag tag, Digest digest) {
        if (tags.size() >= MAX_TAGS) {
            tags.clear(); // crude but bounded; refills from the database on demand
        }
        tags.put(repositoryId, tag, new TagEntry(digest, System.nanoTime() + tagTtlNanos));
    }

    void removeTag(long repositoryId, Tag tag) {
        invalidations.incrementAndGet();
        tags.remove(repositoryId, tag);
    }

    /** Drops every cached tag of a repository, for deletes that may untag several at once. */
    void removeTagsOf(long repositoryId) {
        invalidations.incrementAndGet();
        tags.removeRepository(repositoryId);
    }

    /** Like repositories: without a coherence feed another node's delete would go unseen here. */
    RegistryService.StoredManifest manifest(long repositoryId, Digest digest) {
        return on() ? manifests.get(repositoryId, digest) : null;
    }

    private void putManifest(long repositoryId, RegistryService.StoredManifest manifest) {
        if (!on() || manifest.content().length > MAX_CACHED_MANIFEST_BYTES) {
            return;
        }
        if (manifests.size() >= MAX_MANIFESTS
                || manifestBytes.addAndGet(manifest.content().length) > MAX_TOTAL_MANIFEST_BYTES) {
            manifests.clear(); // crude but bounded; refills from the database on demand
            manifestBytes.set(manifest.content().length);
        }
        manifests.put(repositoryId, manifest.digest(), manifest);
    }

    void removeManifest(long repositoryId, Digest digest) {
        invalidations.incrementAndGet();
        manifests.remove(repositoryId, digest);
    }

    /** Caches what a read returned unless an invalidation happened since {@code stamp} (then it may be stale). */
    void putManifest(long repositoryId, RegistryService.StoredManifest manifest, long stamp) {
        putManifest(repositoryId, manifest);
        if (invalidations.get() != stamp) {
            manifests.remove(repositoryId, manifest.digest());
        }
    }
}
