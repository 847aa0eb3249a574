package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The archive storage class: each image's status by repository and digest, and which blobs the blob store holds in
 * its archive tier. Kept apart from {@link ManifestStore} so the manifest row and its readers stay as they are.
 *
 * <p>The blob half is the metadata side of a move between tiers: {@link #archivable} takes exclusive row locks on
 * the blob records (PostgreSQL {@code FOR UPDATE}, which a manifest push's {@link BlobRecordStore#lockLive}
 * {@code FOR SHARE} conflicts with), so a push either commits its references before the archive decides (and the
 * blob stays) or sees {@link #archivedBlobs} after it (and restores the blob).
 */
public interface ImageStorageStore {

    /** The image's row; empty when it was never archived (it is then {@link ImageStorageRecord#active}). */
    Optional<ImageStorageRecord> get(long repositoryId, Digest digest);

    /** The rows of those of {@code digests} that have one. */
    Map<Digest, ImageStorageRecord> getAll(long repositoryId, Collection<Digest> digests);

    /**
     * The rows of the images whose digests lie in {@code [first, last]}: a listing page's states in one statement,
     * however long the page (its digests are a contiguous range).
     */
    Map<Digest, ImageStorageRecord> between(long repositoryId, Digest first, Digest last);

    /**
     * Writes {@code next} if the image's status is {@code expected} now (no row counts as ACTIVE), in one
     * statement, so of two racing transitions exactly one wins. The manifest must exist. Returns whether it wrote.
     */
    boolean transition(long repositoryId, ImageStatus expected, ImageStorageRecord next);

    /**
     * Of {@code blobs} (records that exist), those no manifest needs in the standard tier: every manifest in any
     * repository that references them is ARCHIVED. Locks their blob records exclusively for the rest of the
     * transaction first, and answers from a statement after the lock (see the class comment).
     */
    Set<Digest> archivable(Collection<Digest> blobs);

    /**
     * Locks the blob records exclusively for the rest of the transaction, as {@link #archivable} does, for a
     * restore that moves their bytes back: it then never interleaves with an archive of the same blob.
     */
    void lockBlobs(Collection<Digest> blobs);

    /** Which of {@code blobs} are in the archive tier. */
    Set<Digest> archivedBlobs(Collection<Digest> blobs);

    /** Records that the blobs are in the archive tier now (idempotent). */
    void markArchived(Collection<Digest> blobs, Instant now);

    /** Records that the blobs are back in the standard tier (idempotent). */
    void unmarkArchived(Collection<Digest> blobs);

    /** The config and layer blobs a manifest references (its {@code manifest_blobs}). */
    Set<Digest> blobsOf(long repositoryId, Digest manifest);
}
