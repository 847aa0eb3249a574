package io.berth.core.envelope;

import io.berth.core.crypto.RangeSource;
import io.berth.core.crypto.SegmentedAead;
import io.berth.core.crypto.SegmentedReader;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.kms.KeyCrypto;
import io.berth.core.kms.KeyRef;
import io.berth.core.model.Digest;
import io.berth.core.region.Regions;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.meta.EnvelopeStore;
import io.berth.core.spi.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Envelope encryption of the blobs of KMS repositories (issue 11 §3), layered on the content-addressed blob store
 * without changing it: a blob is sealed once per form under a random data key ({@code KMS}: one
 * {@link SegmentedAead} layer; {@code KMS_DSSE}: two, under two independent data keys), and the sealed bytes are
 * themselves a blob of the store, addressed by the digest of the ciphertext. Content addressing stays on the
 * plaintext digest: {@link EnvelopeStore} maps it to the sealed copy and to the wrappings of its data keys, one per
 * KMS key of the repositories that hold it.
 *
 * <p>Why this is crash-safe: the data key exists only in memory until the sealed copy is committed and its row and
 * first wrapping are inserted in one transaction. A crash during the write leaves at most an uncommitted upload (GC
 * purges it) or a committed ciphertext no wrapping opens (nothing can read it); never a readable half, never a
 * wrapping without its copy.
 *
 * <p>Key state: every unwrap goes through {@link KeyCrypto#unwrap}, so a disabled key or one pending deletion refuses
 * the read with ECR's {@code KmsException} ({@link ErrorCode#KMS_KEY_UNUSABLE}); re-enabled, it reads again. Rotation
 * keeps old key versions, so wrappings made before it still open.
 */
public final class EnvelopeBlobs {
    public static final String KMS = "KMS";
    public static final String KMS_DSSE = "KMS_DSSE";
    private static final int DATA_KEY = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final KeyCrypto crypto;
    /** Wrappings name their keys by ARN, of any served region: a blob's copy may be wrapped in several. */
    private final Regions regions;
    private final Clock clock;

    public EnvelopeBlobs(BlobStore blobs, MetadataStore metadata, KeyCrypto crypto, Regions regions, Clock clock) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.crypto = crypto;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Stores {@code plaintext} (streamed, encrypted as it arrives) as the sealed copy of {@code digest} in
     * {@code form}, its data keys wrapped under {@code keyArn}. When the blob already has a copy in this form, the
     * stream is not stored again: the copy gains a wrapping for this key. DIGEST_INVALID when the bytes do not hash
     * to {@code digest} (nothing is kept).
     */
    public EnvelopeStore.Sealed seal(Digest digest, String form, String keyArn, InputStream plaintext)
            throws IOException {
        checkForm(form);
        Optional<EnvelopeStore.Sealed> existing = metadata.read(tx -> tx.envelopes().sealed(digest, form));
        if (existing.isPresent()) {
            addWrappingForKey(digest, form, keyArn);
            return existing.get();
        }
        byte[] inner = randomKey();
        byte[] outer = KMS_DSSE.equals(form) ? randomKey() : null;
        return record(write(digest, plaintext, inner, outer, form), keyArn, inner, outer);
    }

    /**
     * Records a sealed copy just committed to the store: its row and first wrapping in one transaction. When a
     * concurrent push sealed the blob first, theirs is kept, ours dropped, and theirs wrapped for this key.
     */
    EnvelopeStore.Sealed record(EnvelopeStore.Sealed sealed, String keyArn, byte[] inner, byte[] outer)
            throws IOException {
        Digest digest = sealed.digest();
        String form = sealed.form();
        EnvelopeStore.Wrapping first = wrapping(digest, form, keyArn, inner, outer);
        if (metadata.write(tx -> tx.envelopes().insert(sealed, first))) {
            return sealed;
        }
        blobs.delete(sealed.sealedDigest());
        addWrappingForKey(digest, form, keyArn);
        return metadata.read(tx -> tx.envelopes().sealed(digest, form)).orElseThrow();
    }

    /** A new data key, and it wrapped under {@code keyArn} for the upload session {@code uploadId} alone. */
    byte[][] sessionKey(String uploadId, String keyArn) {
        byte[] key = randomKey();
        try {
            return new byte[][] {key, crypto.wrap(ref(keyArn), sessionContext(uploadId), key).ciphertext()};
        } catch (RegistryException e) {
            throw unusable(e);
        }
    }

    /** The data key of an upload session; KmsException when its key is disabled or gone. */
    byte[] openSessionKey(String uploadId, byte[] wrapped) {
        return unwrap(wrapped, sessionContext(uploadId));
    }

    private static Map<String, String> sessionContext(String uploadId) {
        return Map.of("berth:upload", uploadId, "berth:layer", "inner");
    }

    /**
     * Adds a wrapping of the blob's data keys for another KMS key, rewrapped from a wrapping it has (the data keys
     * never leave {@link KeyCrypto#rewrap}): what a mount or push into a repository with another key does, and what
     * replication calls to give a copy to another region's key. False when {@code targetKeyArn} wraps it already.
     * BLOB_UNKNOWN when the blob has no copy in this form; KmsException when no wrapping's key can open it.
     */
    public boolean addWrappingForKey(Digest digest, String form, String targetKeyArn) {
        List<EnvelopeStore.Wrapping> have = metadata.read(tx -> tx.envelopes().wrappings(digest, form));
        if (have.isEmpty()) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " has no " + form + " copy");
        }
        if (have.stream().anyMatch(w -> w.keyArn().equals(targetKeyArn))) {
            return false;
        }
        KeyRef target = ref(targetKeyArn);
        RegistryException refused = null;
        for (EnvelopeStore.Wrapping from : have) {
            try {
                byte[] inner = crypto.rewrap(from.innerKey(), context(digest, form, "inner"), target,
                        context(digest, form, "inner")).ciphertext();
                byte[] outer = from.outerKey().length == 0 ? new byte[0] : crypto.rewrap(from.outerKey(),
                        context(digest, form, "outer"), target, context(digest, form, "outer")).ciphertext();
                EnvelopeStore.Wrapping added = new EnvelopeStore.Wrapping(digest, form, targetKeyArn, inner, outer,
                        clock.instant());
                return metadata.write(tx -> tx.envelopes().addWrapping(added));
            } catch (RegistryException e) {
                // this source key is disabled or gone: another holder's key may still open it
                refused = e;
            }
        }
        throw unusable(refused);
    }

    /** True when the blob has a sealed copy in {@code form}, whatever key wraps it. */
    public boolean hasCopy(Digest digest, String form) {
        return metadata.read(tx -> tx.envelopes().sealed(digest, form)).isPresent();
    }

    /** True when the blob has a copy in {@code form} that {@code keyArn} wraps. */
    public boolean holds(Digest digest, String form, String keyArn) {
        return metadata.read(tx -> tx.envelopes().wrapping(digest, form, keyArn)).isPresent();
    }

    /**
     * The plaintext of the blob from {@code offset}, {@code length} bytes (-1: to the end), read through the wrapping
     * of {@code keyArn}; only the segments the range touches are fetched and decrypted. BlobNotFoundException when
     * this key wraps no copy; KmsException when the key is disabled or pending deletion.
     */
    public BlobStore.BlobReader open(Digest digest, String form, String keyArn, long offset, long length)
            throws IOException {
        checkForm(form);
        Optional<EnvelopeStore.Sealed> sealed = metadata.read(tx -> tx.envelopes().sealed(digest, form));
        Optional<EnvelopeStore.Wrapping> w = metadata.read(tx -> tx.envelopes().wrapping(digest, form, keyArn));
        if (sealed.isEmpty() || w.isEmpty()) {
            throw new BlobNotFoundException(digest.toString());
        }
        byte[] inner = unwrap(w.get().innerKey(), context(digest, form, "inner"));
        byte[] outer = KMS_DSSE.equals(form) ? unwrap(w.get().outerKey(), context(digest, form, "outer")) : null;
        RangeSource stored = stored(sealed.get().sealedDigest());
        RangeSource plain = SegmentedReader.open(outer == null ? stored
                : SegmentedReader.open(stored, SegmentedAead.envelopeLayer(outer)), SegmentedAead.envelopeLayer(inner));
        long size = plain.size();
        if (offset < 0 || offset > size) {
            throw new IOException("range start " + offset + " beyond blob of " + size + " bytes");
        }
        long n = length < 0 ? size - offset : Math.min(length, size - offset);
        InputStream in = n == 0 ? InputStream.nullInputStream() : plain.open(offset, n);
        return new BlobStore.BlobReader() {
            @Override public long length() { return n; }

            @Override public InputStream stream() { return in; }

            @Override public void close() throws IOException { in.close(); }
        };
    }

    /**
     * GC: the last repository using {@code keyArn} no longer holds the blob, so its wrapping goes; with the last
     * wrapping, the sealed copy goes too (row first, then the bytes, so no reader finds a row without its bytes
     * for long, and a crash between leaves only unreadable ciphertext). Returns whether the copy is gone.
     */
    public boolean release(Digest digest, String form, String keyArn) throws IOException {
        return EnvelopeGc.release(metadata, blobs, digest, form, keyArn);
    }

    /**
     * Drops the blob's plain form (the blob store's copy under its own digest) once it has a sealed copy and no
     * AES256 repository holds it, so a blob only KMS repositories hold rests only as ciphertext. A push into an
     * AES256 repository writes the plain form again; until then {@link PlainFormFallback} serves other readers
     * (a mount into an AES256 repository, the scanner) from a sealed copy. Returns whether it was dropped.
     */
    public boolean dropPlainForm(Digest digest) throws IOException {
        boolean sealedSomewhere = hasCopy(digest, KMS) || hasCopy(digest, KMS_DSSE);
        if (!sealedSomewhere || metadata.read(tx -> tx.envelopes().heldPlainly(digest))) {
            return false;
        }
        return blobs.delete(digest);
    }

    /**
     * The plaintext through whichever wrapping opens (any form, any usable key): for the registry's own readers of
     * a blob whose plain form was dropped. Empty when it has no sealed copy; KmsException when no key opens it.
     */
    public Optional<BlobStore.BlobReader> openAny(Digest digest, long offset, long length) throws IOException {
        RegistryException refused = null;
        for (String form : List.of(KMS, KMS_DSSE)) {
            for (EnvelopeStore.Wrapping w : metadata.read(tx -> tx.envelopes().wrappings(digest, form))) {
                try {
                    return Optional.of(open(digest, form, w.keyArn(), offset, length));
                } catch (RegistryException e) {
                    refused = e;
                }
            }
        }
        if (refused != null) {
            throw refused;
        }
        return Optional.empty();
    }

    private EnvelopeStore.Sealed write(Digest digest, InputStream plaintext, byte[] inner, byte[] outer,
                                       String form) throws IOException {
        BlobUpload upload = blobs.startUpload();
        boolean committed = false;
        try {
            UploadSink sink = new UploadSink(upload);
            SealingOutputStream outerLayer = outer == null ? null
                    : new SealingOutputStream(SegmentedAead.envelopeLayer(outer).newFile(), sink);
            SealingOutputStream innerLayer = new SealingOutputStream(SegmentedAead.envelopeLayer(inner).newFile(),
                    outerLayer == null ? sink : outerLayer);
            MessageDigest plainHash = digest.algorithm().newMessageDigest();
            byte[] buf = new byte[SegmentedAead.SEGMENT];
            long size = 0;
            for (int r; (r = plaintext.read(buf)) > 0; ) {
                plainHash.update(buf, 0, r);
                innerLayer.write(buf, 0, r);
                size += r;
            }
            if (!Digest.of(digest.algorithm(), plainHash.digest()).equals(digest)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "provided digest did not match uploaded "
                        + "content");
            }
            innerLayer.finish();
            sink.drain();
            Digest sealedDigest = Digest.of(Digest.Algorithm.SHA256, sink.hash.digest());
            upload.commit(sealedDigest);
            committed = true;
            return new EnvelopeStore.Sealed(digest, form, sealedDigest, size, clock.instant());
        } finally {
            if (!committed) {
                upload.cancel();
            }
            upload.close();
        }
    }

    private EnvelopeStore.Wrapping wrapping(Digest digest, String form, String keyArn, byte[] inner, byte[] outer) {
        KeyRef ref = ref(keyArn);
        try {
            byte[] wrappedInner = crypto.wrap(ref, context(digest, form, "inner"), inner).ciphertext();
            byte[] wrappedOuter = outer == null ? new byte[0]
                    : crypto.wrap(ref, context(digest, form, "outer"), outer).ciphertext();
            return new EnvelopeStore.Wrapping(digest, form, keyArn, wrappedInner, wrappedOuter, clock.instant());
        } catch (RegistryException e) {
            throw unusable(e); // a push into a repository whose key is gone or disabled: KmsException, not a 400
        }
    }

    private byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        try {
            return crypto.unwrap(wrapped, context);
        } catch (RegistryException e) {
            throw unusable(e);
        }
    }

    /** The key service's own refusals, as ECR reports them on a push or pull: KmsException. */
    private static RegistryException unusable(RegistryException e) {
        if (e.code() == ErrorCode.KMS_DISABLED || e.code() == ErrorCode.KMS_INVALID_STATE
                || e.code() == ErrorCode.KMS_NOT_FOUND || e.code() == ErrorCode.KMS_INVALID_CIPHERTEXT) {
            return new RegistryException(ErrorCode.KMS_KEY_UNUSABLE, e.getMessage());
        }
        return e;
    }

    /** Binds a wrapped key to its blob, form and layer: moved onto another row it does not open. */
    private static Map<String, String> context(Digest digest, String form, String layer) {
        return Map.of("berth:digest", digest.toString(), "berth:form", form, "berth:layer", layer);
    }

    private KeyRef ref(String keyArn) {
        return KeyRef.parse(keyArn, null, regions);
    }

    private RangeSource stored(Digest sealedDigest) throws IOException {
        long size = blobs.stat(sealedDigest).orElseThrow(() -> new BlobNotFoundException(sealedDigest.toString())).size();
        return new RangeSource() {
            @Override public long size() { return size; }

            @Override public InputStream open(long offset, long length) throws IOException {
                BlobStore.BlobReader r = blobs.open(sealedDigest, offset, length);
                InputStream in = r.stream();
                return new java.io.FilterInputStream(in) {
                    @Override public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            r.close();
                        }
                    }
                };
            }
        };
    }

    private static void checkForm(String form) {
        if (!KMS.equals(form) && !KMS_DSSE.equals(form)) {
            throw new IllegalArgumentException("not an envelope form: " + form);
        }
    }

    private static byte[] randomKey() {
        byte[] k = new byte[DATA_KEY];
        RANDOM.nextBytes(k);
        return k;
    }
}
