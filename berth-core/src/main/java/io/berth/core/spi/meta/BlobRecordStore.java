package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Blob records and repository links. The protocol with online GC (see {@code GarbageCollector}):
 * <ol>
 *   <li>An upload first {@link #touch touches} the record, then commits the bytes to the blob store. A record being
 *       deleted cannot be touched, so an upload never "reuses" bytes GC is about to remove.</li>
 *   <li>A manifest push {@link #lockLive locks} its blob records (shared) before inserting references, so GC cannot
 *       mark them in between.</li>
 *   <li>GC {@link #markDeleting marks} a record (exclusive lock, re-checking references after the lock), deletes the
 *       bytes, then {@link #remove removes} the record.</li>
 * </ol>
 */
public interface BlobRecordStore {

    enum TouchResult { CREATED, REFRESHED, BEING_DELETED }

    /** A live (not being deleted) record. */
    Optional<BlobRecord> get(Digest digest);

    /** Creates or refreshes the record with {@code lastSeen = now}; refuses a record GC is deleting. */
    TouchResult touch(Digest digest, long size, Instant now);

    /**
     * Locks the live records among {@code digests} against GC for the rest of the transaction (PostgreSQL
     * {@code FOR SHARE}) and returns the ones that are live.
     */
    Set<Digest> lockLive(Collection<Digest> digests);

    /**
     * Links a blob to a repository (idempotent); the blob record must be live.
     * @throws BlobRecordGoneException when it is not (GC took it since it was touched)
     */
    void link(long repositoryId, Digest digest, Instant now);

    boolean isLinked(long repositoryId, Digest digest);

    /** Which of {@code digests} are linked to the repository. */
    Set<Digest> linked(long repositoryId, Collection<Digest> digests);

    boolean unlink(long repositoryId, Digest digest);

    /**
     * Live records last seen before {@code cutoff} that no manifest in any repository references, in digest order
     * after {@code after}, at most {@code limit}. Candidates only: {@link #markDeleting} re-checks.
     */
    List<BlobRecord> unreferencedBefore(Instant cutoff, Digest after, int limit);

    /**
     * Marks the record as being deleted if it is still live, last seen before {@code cutoff} and unreferenced,
     * checked under an exclusive row lock. Returns whether it was marked.
     */
    boolean markDeleting(Digest digest, Instant cutoff);

    /** Records GC marked but did not finish removing (a crash mid-sweep), to finish them. */
    List<Digest> beingDeleted(int limit);

    /** Removes a record (and its repository links) once its bytes are gone. */
    void remove(Digest digest);
}
