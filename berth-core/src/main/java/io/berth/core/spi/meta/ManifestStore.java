package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public interface ManifestStore {

    Optional<ManifestRecord> get(long repositoryId, Digest digest);

    /** The manifests among {@code digests} that the repository has, in no particular order (absent ones left out). */
    List<ManifestRecord> getAll(long repositoryId, Collection<Digest> digests);

    /**
     * Stores a manifest in a repository with its references, if it is not there yet (then returns false and changes
     * nothing). {@code blobs} are the config and layer digests: each must have a blob record that is not being
     * deleted (the caller checked with {@link BlobRecordStore#lockLive} in the same transaction). {@code children}
     * are the manifests an index lists: each must already be a manifest of this repository.
     */
    boolean putIfAbsent(long repositoryId, ManifestRecord manifest, Set<Digest> blobs, Set<Digest> children);

    /** Which of {@code digests} are manifests of the repository. */
    Set<Digest> existing(long repositoryId, Collection<Digest> digests);

    /** Deletes a manifest, its tags and its references. Returns false when it was not there. */
    boolean delete(long repositoryId, Digest digest);

    /** Digests of the indexes in the repository that list {@code child}. */
    List<Digest> parentsOf(long repositoryId, Digest child);

    /** Manifests of the repository whose {@code subject} is {@code subject}, optionally only one artifact type. */
    List<ManifestRecord> referrers(long repositoryId, Digest subject, String artifactType);

    /** Whether any manifest of the repository references the blob (as config or layer). */
    boolean referencesBlob(long repositoryId, Digest blob);

    /** Records a pull of the manifest at {@code when}; nothing happens when it is gone. */
    void recordPull(long repositoryId, Digest digest, java.time.Instant when);

    /** Manifests of the repository in digest order after {@code afterDigest}, at most {@code limit}. */
    List<ManifestRecord> list(long repositoryId, Digest afterDigest, int limit);

    /**
     * What lifecycle evaluation needs of the manifests {@link #list} would return (tags, times, subject, whether an
     * index lists each), without their content; a few queries per page, not one per manifest.
     */
    List<ImageSummary> summaries(long repositoryId, Digest afterDigest, int limit);

    /**
     * Backdates (or sets) a manifest's push time and last recorded pull time, for tests of lifecycle policies; a
     * null leaves that time as it is. False when the manifest is not there.
     */
    boolean setTimes(long repositoryId, Digest digest, java.time.Instant pushedAt, java.time.Instant lastPulledAt);

    /** Which manifests {@link #list(long, Digest, int, TagFilter)} returns, by whether any tag points at them. */
    enum TagFilter { ANY, TAGGED, UNTAGGED }

    /**
     * {@link #list(long, Digest, int)} restricted by {@code filter}, in one statement: a page of tagged or untagged
     * images costs the same however many of the other kind lie in between.
     */
    List<ManifestRecord> list(long repositoryId, Digest afterDigest, int limit, TagFilter filter);
}
