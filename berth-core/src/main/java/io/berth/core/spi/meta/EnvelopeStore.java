package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Envelope encryption of KMS repositories' blobs (issue 11 §3): per plaintext digest and form ({@code KMS} or
 * {@code KMS_DSSE}) the one sealed copy in the blob store, and the wrappings of its data key(s), one per KMS key of
 * the repositories holding the blob. The store holds only wrapped keys; it never sees a data key.
 */
public interface EnvelopeStore {
    /** A blob's sealed copy in one form: the blob store holds it under {@code sealedDigest}. */
    record Sealed(Digest digest, String form, Digest sealedDigest, long size, Instant createdAt) {}

    /**
     * One KMS key's wrapping of a sealed copy's data key; {@code outerKey} is the second layer's key (KMS_DSSE),
     * empty for KMS.
     */
    record Wrapping(Digest digest, String form, String keyArn, byte[] innerKey, byte[] outerKey, Instant createdAt) {}

    /**
     * Inserts the sealed copy and its first wrapping together; false (nothing written) when a copy of this form
     * exists already (a concurrent push won: the caller uses that one and drops its own).
     */
    boolean insert(Sealed sealed, Wrapping first);

    Optional<Sealed> sealed(Digest digest, String form);

    /** False when this key already wraps the copy. */
    boolean addWrapping(Wrapping wrapping);

    Optional<Wrapping> wrapping(Digest digest, String form, String keyArn);

    List<Wrapping> wrappings(Digest digest, String form);

    /** Removes one key's wrapping; true when it existed. */
    boolean removeWrapping(Digest digest, String form, String keyArn);

    /** True when a repository that is not encrypted with KMS (an AES256 one) holds the blob. */
    boolean heldPlainly(Digest digest);

    /**
     * GC: wrappings no repository of their form and key holds the blob for any more (none links it, or only
     * repositories of other keys), on blobs last seen before {@code lastSeenBefore} (a push or mount touches the
     * blob before it wraps or links, so recent blobs are left to settle), at most {@code limit}, in key order after
     * {@code after} (null: from the start).
     */
    List<Wrapping> unheld(Instant lastSeenBefore, Wrapping after, int limit);

    /** Removes the sealed copy's row and any wrapping left; true when it existed. */
    boolean remove(Digest digest, String form);

    /**
     * An upload session of a KMS repository, sealed as it streams in: its data key wrapped under the repository's key
     * (bound to the session), the sealed file's header, how many full segments the session's bytes hold, and the
     * plaintext after them sealed ({@code tail}). The row goes with the session's upload row, so a purged session
     * leaves no key behind.
     */
    record Session(String uploadId, String form, String keyArn, byte[] innerKey, byte[] header, long segments,
                   byte[] tail, Instant createdAt) {}

    /** Inserts the session's state unless it has one already (another node began it); true when inserted. */
    boolean createSession(Session session);

    Optional<Session> session(String uploadId);

    /**
     * Claims the session for one writer (an append or commit), across nodes: true when no other writer holds it or
     * its claim was made before {@code staleBefore} (that writer died); the holder calls it again to renew.
     */
    boolean claimSession(String uploadId, String writer, Instant now, Instant staleBefore);

    /** Records the session's new state and ends {@code writer}'s claim; false when it no longer held it. */
    boolean releaseSession(String uploadId, String writer, long segments, byte[] tail);
}
