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
    /**
     * One AES-GCM cipher per thread, re-initialised per segment (each with its own random nonce): looking one up per
     * segment ({@code Cipher.getInstance}: a provider search and new GCM state) cost a share of every 64 KiB.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    });

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

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();
    /** Warm-up: at most this many small seal-and-open rounds, in batches, stopping once a batch runs compiled. */
    private static final int WARM_ROUNDS = 8000;
    private static final int WARM_BATCH = 250;
    private static final int WARM_BYTES = 4096;
    /** A batch faster than this (2 MB sealed and opened in 4 ms: 500 MB/s) runs on the intrinsics. */
    private static final long WARM_FAST_NANOS = 4_000_000;

    /**
     * Seals and opens a few thousand small segments on a daemon thread, once per process. The JDK's AES-GCM is fast
     * (about 1.7 GB/s a core here) only once C2 has compiled the methods that call its GHASH and counter-mode
     * intrinsics, which takes thousands of calls; until then GHASH runs as plain Java at a few dozen MB/s, and a
     * registry's first uploads and downloads came to a few 64 KiB segments per call, so the profile of a fresh
     * server was half {@code GHASH.processBlock} for its first gigabyte. Small calls reach the thresholds for a
     * fraction of a second of one core. Started by the first transfer of more than a batch, not at start-up: a
     * registry that only sees small pushes never pays for it, and it does not compete with the start.
     */
    public static void warmUpInBackground() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            FileKey file = new SegmentedAead(key).newFile();
            byte[] plain = new byte[WARM_BYTES];
            byte[] sealed = new byte[WARM_BYTES + OVERHEAD];
            try {
                int fastBatches = 0;
                for (int i = 0; i < WARM_ROUNDS && fastBatches < 3; ) {
                    long start = System.nanoTime();
                    for (int k = 0; k < WARM_BATCH; k++, i++) {
                        file.sealInto(i, false, plain, 0, plain.length, sealed, 0);
                        file.openInto(i, false, sealed, 0, sealed.length, plain, 0);
                    }
                    fastBatches = System.nanoTime() - start < WARM_FAST_NANOS ? fastBatches + 1 : 0;
                }
            } catch (IOException | RuntimeException e) {
                // only a warm-up: the real paths report their own failures
            }
        }, "berth-crypto-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
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
            byte[] out = new byte[length + OVERHEAD];
            sealInto(index, last, plaintext, offset, length, out, 0);
            return out;
        }

        /**
         * Segment {@code index} sealed into {@code out} at {@code at} (nonce, ciphertext, tag: {@code length} +
         * {@link #OVERHEAD} bytes), with no allocation but the nonce: the bulk paths seal a batch into one buffer.
         */
        public void sealInto(long index, boolean last, byte[] plaintext, int offset, int length, byte[] out, int at) {
            sealWith(associated(index, last), plaintext, offset, length, out, at);
        }

        /** The plaintext of a sealed segment; IOException when it was altered, moved, or is not the last. */
        public byte[] open(long index, boolean last, byte[] sealed, int offset, int length) throws IOException {
            if (length < OVERHEAD) {
                throw cutShort();
            }
            byte[] out = new byte[length - OVERHEAD];
            openInto(index, last, sealed, offset, length, out, 0);
            return out;
        }

        /**
         * Opens a sealed segment into {@code out} at {@code at}; returns the plaintext's length ({@code length} -
         * {@link #OVERHEAD}). When it throws, what {@code out} holds there is no plaintext to hand out.
         */
        public int openInto(long index, boolean last, byte[] sealed, int offset, int length, byte[] out, int at)
                throws IOException {
            return openWith(associated(index, last), sealed, offset, length, out, at);
        }

        /** A side value (not a segment) sealed under this file's key with its own label. */
        public byte[] sealSide(String label, byte[] plaintext) {
            byte[] out = new byte[plaintext.length + OVERHEAD];
            sealWith(label.getBytes(StandardCharsets.UTF_8), plaintext, 0, plaintext.length, out, 0);
            return out;
        }

        public byte[] openSide(String label, byte[] sealed) throws IOException {
            if (sealed.length < OVERHEAD) {
                throw cutShort();
            }
            byte[] out = new byte[sealed.length - OVERHEAD];
            openWith(label.getBytes(StandardCharsets.UTF_8), sealed, 0, sealed.length, out, 0);
            return out;
        }

        private void sealWith(byte[] aad, byte[] plaintext, int offset, int length, byte[] out, int at) {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            System.arraycopy(nonce, 0, out, at, NONCE);
            try {
                Cipher c = CIPHER.get();
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                c.updateAAD(aad);
                c.doFinal(plaintext, offset, length, out, at + NONCE);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
            }
        }

        private int openWith(byte[] aad, byte[] sealed, int offset, int length, byte[] out, int at)
                throws IOException {
            if (length < OVERHEAD) {
                throw cutShort();
            }
            try {
                Cipher c = CIPHER.get();
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed, offset, NONCE));
                c.updateAAD(aad);
                return c.doFinal(sealed, offset + NONCE, length - NONCE, out, at);
            } catch (AEADBadTagException e) {
                throw new IOException("encrypted segment does not open: the file was altered, cut short or made "
                        + "under another master key", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
            }
        }

        private static IOException cutShort() {
            return new IOException("encrypted segment too short: the file is damaged or cut short");
        }

        private byte[] associated(long index, boolean last) {
            return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put((byte) (last ? 1 : 0))
                    .array();
        }
    }
}
