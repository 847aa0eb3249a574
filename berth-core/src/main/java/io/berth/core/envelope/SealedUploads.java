package io.berth.core.envelope;

import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.UploadSessions;
import io.berth.core.spi.meta.MetadataStore;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upload sessions of KMS repositories, sealed as they stream in ({@link SealingUpload}): the repository, hence its
 * key, is known when the session starts, so the plaintext is never written, and the sealed bytes go to the store
 * beneath the at-rest layer ({@code raw}), which would only encrypt ciphertext a second time. On commit the sealed
 * file becomes the blob's sealed copy directly: one write, no read-back.
 */
public final class SealedUploads {
    final EnvelopeBlobs envelopes;
    /** The store without at-rest encryption (the filesystem's without its key; S3's own, SSE-S3 being S3's). */
    final BlobStore raw;
    final MetadataStore metadata;
    final Clock clock;
    /** Writes sealed batches to the store while the request's thread seals the next; idle threads expire. */
    final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "berth-sealed-upload-writer");
        t.setDaemon(true);
        return t;
    });
    /** The running SHA-256 of each session's plaintext on this node, and how many plaintext bytes it covers. */
    private final ConcurrentHashMap<String, Running> hashes = new ConcurrentHashMap<>();

    record Running(MessageDigest digest, long bytes) {}

    public SealedUploads(EnvelopeBlobs envelopes, BlobStore raw, MetadataStore metadata, Clock clock) {
        this.envelopes = envelopes;
        this.raw = raw;
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * The sessions of a repository in {@code form} under {@code keyArn}; null for KMS_DSSE, whose two layers are
     * still sealed after the upload (see {@link EnvelopeBlobs#seal}).
     */
    public UploadSessions forKey(String form, String keyArn) {
        if (!EnvelopeBlobs.KMS.equals(form)) {
            return null;
        }
        return new UploadSessions() {
            @Override public BlobUpload start() throws IOException {
                return new SealingUpload(SealedUploads.this, raw.startUpload(), form, keyArn, true);
            }

            @Override public BlobUpload resume(String uploadId) throws IOException {
                return new SealingUpload(SealedUploads.this, raw.resumeUpload(uploadId), form, keyArn, false);
            }
        };
    }

    /** This node's running hash when it covers exactly {@code bytes}; null otherwise (rehashed at commit). */
    MessageDigest takeHash(String uploadId, long bytes) {
        Running r = hashes.remove(uploadId);
        return r != null && r.bytes() == bytes ? r.digest() : null;
    }

    void putHash(String uploadId, MessageDigest digest, long bytes) {
        hashes.put(uploadId, new Running(digest, bytes));
    }

    void forgetHash(String uploadId) {
        hashes.remove(uploadId);
    }
}
