package io.berth.core.blob.fs;

import io.berth.core.model.Digest;
import java.security.MessageDigest;

/**
 * The running SHA-256 of an upload session and how many bytes of the session file it covers. Valid for the session
 * only while {@link #bytes()} equals the file's size; anything else means bytes were written elsewhere (another
 * node) or lost (crash), and the file must be rehashed.
 */
final class HashState {
    private final MessageDigest digest;
    private long bytes;

    private HashState(MessageDigest digest, long bytes) {
        this.digest = digest;
        this.bytes = bytes;
    }

    /** A state covering the first {@code bytes} bytes, all already fed to {@code digest}. */
    static HashState of(MessageDigest digest, long bytes) {
        return new HashState(digest, bytes);
    }

    static HashState empty() {
        return new HashState(Digest.Algorithm.SHA256.newMessageDigest(), 0);
    }

    void update(byte[] buffer, int offset, int length) {
        digest.update(buffer, offset, length);
        bytes += length;
    }

    long bytes() {
        return bytes;
    }

    /** The digest of the bytes so far, leaving this state usable for further updates. */
    Digest current() {
        try {
            MessageDigest copy = (MessageDigest) digest.clone();
            return Digest.of(Digest.Algorithm.SHA256, copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 provider cannot clone its state", e);
        }
    }
}
