package io.berth.core.spi.blob;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed, repository-blind blob storage. It knows digests and bytes, nothing of repositories, tags or
 * manifests (those are metadata rows). Implementations: filesystem now, S3 later; both must pass
 * {@code AbstractBlobStoreContractTest}.
 *
 * <p>Guarantees every implementation gives:
 * <ul>
 *   <li>A blob becomes visible to {@link #stat} and {@link #open} only by {@link BlobUpload#commit}, atomically and
 *       durably (fsync'd before commit returns). A half-written upload is never visible.</li>
 *   <li>A committed blob's bytes always hash to its digest.</li>
 *   <li>Committing a digest that already exists is a success that leaves the stored copy untouched.</li>
 * </ul>
 */
public interface BlobStore extends AutoCloseable {

    /** A short name for logs and the start line, such as {@code filesystem:/var/lib/berth}. */
    String describe();

    /** Size of a committed blob, or empty when absent. */
    Optional<BlobInfo> stat(Digest digest) throws IOException;

    /**
     * Opens a committed blob for reading from {@code offset}, {@code length} bytes (-1 for to the end).
     * @throws BlobNotFoundException when absent
     */
    BlobReader open(Digest digest, long offset, long length) throws IOException;

    /** Starts a new upload session. */
    BlobUpload startUpload() throws IOException;

    /**
     * Resumes an upload session by the ID {@link BlobUpload#id()} gave, possibly on another node or after a restart.
     * @throws UploadNotFoundException when the session is gone (cancelled, committed or purged)
     */
    BlobUpload resumeUpload(String uploadId) throws IOException;

    /**
     * Deletes a committed blob, in the standard tier and in the archive tier; returns whether it existed in either.
     * Callers (GC) ensure nothing references it.
     */
    boolean delete(Digest digest) throws IOException;

    /**
     * Moves a committed blob to the archive tier (a cheaper place: a directory of its own, later an S3 storage
     * class), for the archive storage class: afterwards {@link #stat} and {@link #open} see it as absent and
     * {@link #statArchived} sees it. Durable before it returns, like a commit. Idempotent: a blob already archived
     * stays so, and a copy committed again in the standard tier meanwhile is dropped in favour of the archived one.
     * Returns false when the blob is in neither tier. Callers (the image archive) ensure no active image needs it.
     */
    boolean archive(Digest digest) throws IOException;

    /**
     * Brings an archived blob back to the standard tier, durably; the inverse of {@link #archive}. Idempotent: a
     * blob already in the standard tier (committed again meanwhile) keeps that copy and loses the archived one.
     * Returns false when the blob is in neither tier.
     */
    boolean restore(Digest digest) throws IOException;

    /** Size of a blob in the archive tier, or empty when it is not archived. */
    Optional<BlobInfo> statArchived(Digest digest) throws IOException;

    /** Visits every committed blob of the standard tier (for GC of blobs unknown to metadata and for fsck). */
    void forEach(Consumer<BlobInfo> visitor) throws IOException;

    /**
     * Visits every upload session with its last-modified time, so GC can purge abandoned ones.
     */
    void forEachUpload(Consumer<UploadInfo> visitor) throws IOException;

    /** A URL a client may download the blob from directly, when the backend supports it (S3 presigning). */
    default Optional<URI> redirectUrl(Digest digest, Duration validity) {
        return Optional.empty();
    }

    /** Checks the backend is reachable and writable; used by {@code /readyz}. */
    void checkHealth() throws IOException;

    @Override
    void close() throws IOException;

    record BlobInfo(Digest digest, long size) {}

    record UploadInfo(String uploadId, long size, java.time.Instant lastModified) {}

    /** An open blob: a stream of the requested range. */
    interface BlobReader extends AutoCloseable {
        /** Bytes this reader will deliver. */
        long length();

        /** The content as a stream; read once. */
        InputStream stream() throws IOException;

        /**
         * The channel of a local file positioned at the range start, when the backend is a local filesystem, so the
         * HTTP layer can send it without copying through the heap. Empty otherwise.
         */
        default Optional<java.nio.channels.FileChannel> fileChannel() { return Optional.empty(); }

        @Override
        void close() throws IOException;
    }
}
