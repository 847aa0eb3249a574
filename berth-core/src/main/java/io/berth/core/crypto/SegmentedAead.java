package io.berth.core.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A streaming AEAD for files at rest, in the shape of Tink's AES-GCM-HKDF streaming AEAD: a file is a header (magic
 * and a random salt, from which the file's own AES-256 key is derived under the deployment key) and segments of
 * {@link #SEGMENT} plaintext bytes, each sealed with AES-256-GCM under a random nonce, with its index and whether it
 * is the last as associated data. So a range read decrypts only the segments it touches; segments cannot be
 * reordered, dropped or moved to another file; and a file cut short (a crash mid-write) does not open, because its
 * last segment lacks the last-segment mark.
 *
 * <p>Layout: {@code "BEA1"}, salt (32 bytes); then per segment nonce (12), ciphertext, tag (16). Every segment but
 * the last holds exactly {@link #SEGMENT} plaintext bytes; the last holds 0 to {@link #SEGMENT} bytes.
 */
public final class SegmentedAead {
    public static final int SEGMENT = 64 * 1024;
    static final int NONCE = 12;
    static final int TAG = 16;
    public static final int OVERHEAD = NONCE + TAG;
    /** A full segment as stored. */
    public static final int SEALED_SEGMENT = SEGMENT + OVERHEAD;
    private static final byte[] MAGIC = "BEA1".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT = 32;
    public static final int HEADER = MAGIC.length + SALT;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The magic of envelope layers (KMS repositories' blobs, under a random data key): never taken for BEA1. */
    private static final byte[] ENVELOPE_MAGIC = "BEK1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] deploymentKey;
    private final byte[] magic;
    private final String label;

    /** @param deploymentKey 32 bytes, derived from the master key for this one purpose */
    public SegmentedAead(byte[] deploymentKey) {
        this(deploymentKey, MAGIC, "berth/blob-file-key/v1");
    }

    private SegmentedAead(byte[] key, byte[] magic, String label) {
        if (key.length != 32) {
            throw new IllegalArgumentException("deployment key must be 32 bytes");
        }
        this.deploymentKey = key.clone();
        this.magic = magic;
        this.label = label;
    }

    /**
     * The same format under a blob's random data key, with its own magic ({@code BEK1}) and derivation label, so a
     * sealed envelope layer stored as a blob is never mistaken for (or opened as) a file sealed at rest.
     */
    public static SegmentedAead envelopeLayer(byte[] dataKey) {
        return new SegmentedAead(dataKey, ENVELOPE_MAGIC, "berth/envelope-layer/v1");
    }

    /** A new file: its header (to write first) and its key. */
    public FileKey newFile() {
        byte[] header = new byte[HEADER];
        System.arraycopy(magic, 0, header, 0, magic.length);
        byte[] salt = new byte[SALT];
        RANDOM.nextBytes(salt);
        System.arraycopy(salt, 0, header, MAGIC.length, SALT);
        return new FileKey(header, derive(salt));
    }

    /** The key of a file with this header; IOException when it is not one of these files. */
    public FileKey open(byte[] header) throws IOException {
        if (header.length < HEADER || !Arrays.equals(header, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException("not an encrypted blob file (no " + new String(magic, StandardCharsets.US_ASCII)
                    + " header)");
        }
        return new FileKey(header.clone(), derive(Arrays.copyOfRange(header, MAGIC.length, HEADER)));
    }

    /** True when {@code header} (at least its first 4 bytes) starts a file of this format. */
    public static boolean isSealed(byte[] header) {
        return header.length >= HEADER && Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The plaintext size of a complete file of {@code fileSize} bytes. */
    public static long plaintextSize(long fileSize) {
        long body = fileSize - HEADER;
        long segments = (body + SEALED_SEGMENT - 1) / SEALED_SEGMENT;
        return body - segments * OVERHEAD;
    }

    /** Where segment {@code index} starts in the file. */
    public static long segmentOffset(long index) {
        return HEADER + index * SEALED_SEGMENT;
    }

    private byte[] derive(byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(deploymentKey, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    /** One file's key: seals and opens its segments, and small side values (an upload's pending tail). */
    public static final class FileKey {
        private final byte[] header;
        private final SecretKeySpec key;

        private FileKey(byte[] header, byte[] key) {
            this.header = header;
            this.key = new SecretKeySpec(key, "AES");
        }

        public byte[] header() { return header.clone(); }

        /** Segment {@code index} sealed: nonce, ciphertext, tag ({@code length} + {@link #OVERHEAD} bytes). */
        public byte[] seal(long index, boolean last, byte[] plaintext, int offset, int length) {
            return sealWith(associated(index, last), plaintext, offset, length);
        }

        /** The plaintext of a sealed segment; IOException when it was altered, moved, or is not the last. */
        public byte[] open(long index, boolean last, byte[] sealed, int offset, int length) throws IOException {
            return openWith(associated(index, last), sealed, offset, length);
        }

        /** A side value (not a segment) sealed under this file's key with its own label. */
        public byte[] sealSide(String label, byte[] plaintext) {
            return sealWith(label.getBytes(StandardCharsets.UTF_8), plaintext, 0, plaintext.length);
        }

        public byte[] openSide(String label, byte[] sealed) throws IOException {
            return openWith(label.getBytes(StandardCharsets.UTF_8), sealed, 0, sealed.length);
        }

        private byte[] sealWith(byte[] aad, byte[] plaintext, int offset, int length) {
            byte[] out = new byte[NONCE + length + TAG];
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            System.arraycopy(nonce, 0, out, 0, NONCE);
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                c.updateAAD(aad);
                c.doFinal(plaintext, offset, length, out, NONCE);
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
            }
        }

        private byte[] openWith(byte[] aad, byte[] sealed, int offset, int length) throws IOException {
            if (length < OVERHEAD) {
                throw new IOException("encrypted segment too short: the file is damaged or cut short");
            }
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed, offset, NONCE));
                c.updateAAD(aad);
                return c.doFinal(sealed, offset + NONCE, length - NONCE);
            } catch (AEADBadTagException e) {
                throw new IOException("encrypted segment does not open: the file was altered, cut short or made "
                        + "under another master key", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
            }
        }

        private byte[] associated(long index, boolean last) {
            return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put((byte) (last ? 1 : 0))
                    .array();
        }
    }
}
