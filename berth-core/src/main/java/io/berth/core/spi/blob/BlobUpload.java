package io.berth.core.spi.blob;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * A resumable upload session. One writer at a time (the service serialises requests per session). The session is
 * durable across requests and restarts: {@link BlobStore#resumeUpload} reopens it by {@link #id()}.
 */
public interface BlobUpload extends AutoCloseable {

    /** Opaque session ID, safe to put in a URL path segment ({@code [A-Za-z0-9_-]+}). */
    String id();

    /** Bytes received so far. */
    long size();

    /**
     * Appends everything {@code in} delivers, until EOF, streaming (never buffering the whole body). If
     * {@code maxBytes >= 0}, reading stops with {@link BlobUploadTooLargeException} past that many bytes.
     * On an I/O error from {@code in} (client cut off midway) the bytes already received stay part of the session,
     * exactly as many as {@link #size()} then reports.
     * @return bytes appended by this call
     */
    long append(InputStream in, long maxBytes) throws IOException;

    /**
     * Verifies the content hashes to {@code expected}, makes it durable and visible as that blob, and ends the
     * session. On mismatch nothing becomes visible, the session is cancelled and {@link DigestMismatchException}
     * is thrown.
     */
    BlobStore.BlobInfo commit(Digest expected) throws IOException;

    /**
     * Makes the content durable and visible as the blob its bytes hash to (SHA-256), and ends the session: for a
     * writer that cannot know that digest itself, such as a sealed copy continued on another node, whose earlier
     * ciphertext this node never saw. Stores that serve no such writer do not support it.
     */
    default BlobStore.BlobInfo commitAsHashed() throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot commit under its own hash");
    }

    /** Discards the session and its bytes. Idempotent. */
    void cancel() throws IOException;

    /** Releases in-memory resources; the session itself stays resumable. */
    @Override
    void close() throws IOException;
}
