package io.berth.core.envelope;

import io.berth.core.crypto.SegmentedAead;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.BlobUploadTooLargeException;
import io.berth.core.spi.blob.DigestMismatchException;
import io.berth.core.spi.blob.UploadNotFoundException;
import io.berth.core.spi.meta.EnvelopeStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An upload session of a KMS repository, sealed as it streams in under a data key of its own ({@link SegmentedAead},
 * envelope layer): the store's session (beneath the at-rest layer) holds the header and the full sealed segments; the
 * plaintext after the last full segment waits sealed in the session's {@link EnvelopeStore.Session} row, with the
 * data key wrapped under the repository's KMS key. No plaintext byte rests, even mid-upload. On commit the tail is
 * the last segment and the session's bytes become the blob's sealed copy as they are.
 *
 * <p>Across nodes: every append and commit first claims the row (one conditional UPDATE), so a second writer of the
 * same session, on any node, is refused with BLOB_UPLOAD_INVALID before it writes a byte; a claim left by a dead
 * node lapses after {@link #CLAIM}. The plaintext digest is this node's running hash; a node that took the session
 * over hashes the sealed copy's plaintext at commit instead, so what is published always hashes to its name.
 *
 * <p>Crash safety: the store's bytes past the row's segment count (a crash between the two) make the session
 * refuse further writes (the client starts again); the last-segment mark is written only by commit, so an abandoned
 * session never opens as a blob, and its row (with the wrapped key) goes with its upload row when GC purges it.
 */
final class SealingUpload implements BlobUpload {
    /** How long a claim stands without being renewed: a writer renews it every third of this. */
    static final Duration CLAIM = Duration.ofSeconds(60);
    /** Segments sealed per store append (1 MiB of plaintext). */
    private static final int BATCH = 16;
    private static final String TAIL_LABEL = "envelope-upload-tail/";

    private final SealedUploads owner;
    private final BlobUpload raw;
    private final String form;
    private final String keyArn;
    /** Null until the first append (or commit) creates it. */
    private EnvelopeStore.Session session;
    /**
     * A session this instance started: its state stays in memory unless it is resumed (a monolithic upload is one
     * request, and has no upload row for a session row to go with).
     */
    private final boolean started;
    private boolean ended;

    SealingUpload(SealedUploads owner, BlobUpload raw, String form, String keyArn, boolean started) {
        this.owner = owner;
        this.raw = raw;
        this.form = form;
        this.keyArn = keyArn;
        this.started = started;
        this.session = started ? null : owner.metadata.read(tx -> tx.envelopes().session(raw.id())).orElse(null);
    }

    @Override
    public String id() { return raw.id(); }

    @Override
    public long size() {
        return session == null ? 0 : session.segments() * SegmentedAead.SEGMENT + tailSize(session);
    }

    private static long tailSize(EnvelopeStore.Session s) {
        return Math.max(0, s.tail().length - SegmentedAead.OVERHEAD);
    }

    @Override
    public long append(InputStream in, long maxBytes) throws IOException {
        Claim claim = claim();
        long segments = session.segments();
        byte[] pending = claim.tail;
        CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
        try {
            MessageDigest hash = owner.takeHash(id(), size());
            long appended = 0;
            IOException failure = null;
            byte[] buffer = new byte[BATCH * SegmentedAead.SEGMENT];
            // two buffers of sealed bytes: this thread reads, hashes and seals one while the store writes the other
            byte[][] sealedBuffers = {new byte[BATCH * SegmentedAead.SEALED_SEGMENT],
                    new byte[BATCH * SegmentedAead.SEALED_SEGMENT]};
            int slot = 0;
            for (boolean last = false; !last; ) {
                System.arraycopy(pending, 0, buffer, 0, pending.length);
                int filled = pending.length;
                while (filled < buffer.length) {
                    int n;
                    try {
                        n = in.read(buffer, filled, buffer.length - filled);
                    } catch (IOException e) {
                        failure = e; // the client went away: keep what it delivered, then report it
                        last = true;
                        break;
                    }
                    if (n < 0) {
                        last = true;
                        break;
                    }
                    if (maxBytes >= 0 && appended + n > maxBytes) {
                        n = (int) (maxBytes - appended);
                        failure = new BlobUploadTooLargeException("upload " + id() + " exceeds the limit of "
                                + maxBytes + " bytes for one request");
                        last = true;
                    }
                    if (hash != null) {
                        hash.update(buffer, filled, n);
                    }
                    filled += n;
                    appended += n;
                    if (last) {
                        break;
                    }
                }
                int full = filled / SegmentedAead.SEGMENT;
                if (full > 0) {
                    byte[] sealed = sealedBuffers[slot];
                    int at = 0;
                    for (int k = 0; k < full; k++) {
                        byte[] c = claim.key.seal(segments + k, false, buffer, k * SegmentedAead.SEGMENT,
                                SegmentedAead.SEGMENT);
                        System.arraycopy(c, 0, sealed, at, c.length);
                        at += c.length;
                    }
                    await(writing); // the other buffer is free again
                    int length = at;
                    writing = CompletableFuture.runAsync(() -> appendRaw(sealed, length), owner.writer);
                    slot ^= 1;
                    segments += full;
                    claim.renew();
                }
                pending = Arrays.copyOfRange(buffer, full * SegmentedAead.SEGMENT, filled);
            }
            await(writing);
            claim.release(segments, pending);
            if (hash != null) {
                owner.putHash(id(), hash, size());
            }
            if (failure != null) {
                throw failure;
            }
            return appended;
        } finally {
            writing.exceptionally(t -> null).join(); // no write may outlive the request
            claim.abandon(); // after a failed store append: the row keeps its state, the claim ends
        }
    }

    private void appendRaw(byte[] sealed, int length) {
        try {
            raw.append(new ByteArrayInputStream(sealed, 0, length), -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CompletableFuture<Void> write) throws IOException {
        try {
            write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    @Override
    public BlobStore.BlobInfo commit(Digest expected) throws IOException {
        Claim claim = claim();
        try {
            long size = size();
            MessageDigest hash = owner.takeHash(id(), size);
            Digest plain = hash == null || expected.algorithm() != Digest.Algorithm.SHA256 ? null
                    : Digest.of(Digest.Algorithm.SHA256, hash.digest());
            if (plain != null && !plain.equals(expected)) {
                cancel();
                throw mismatch(plain, expected);
            }
            if (plain != null && owner.envelopes.hasCopy(expected, form)) {
                // sealed already (another push): ours is not stored again; the copy gains this key's wrapping
                cancel();
                owner.envelopes.addWrappingForKey(expected, form, keyArn);
                return new BlobStore.BlobInfo(expected, size);
            }
            raw.append(new ByteArrayInputStream(claim.key.seal(session.segments(), true, claim.tail, 0,
                    claim.tail.length)), -1);
            BlobStore.BlobInfo sealed = raw.commitAsHashed();
            ended = true;
            if (plain == null) {
                Digest actual = plaintextDigest(sealed.digest(), claim.key, expected.algorithm());
                if (!actual.equals(expected)) {
                    owner.raw.delete(sealed.digest());
                    throw mismatch(actual, expected);
                }
            }
            owner.envelopes.record(new EnvelopeStore.Sealed(expected, form, sealed.digest(), size,
                    owner.clock.instant()), keyArn, claim.dataKey, null);
            return new BlobStore.BlobInfo(expected, size);
        } finally {
            if (!ended) {
                claim.abandon();
            }
        }
    }

    private static DigestMismatchException mismatch(Digest actual, Digest expected) {
        return new DigestMismatchException("content hashes to " + actual + " but the client named " + expected);
    }

    /** The digest of the sealed copy's plaintext: decrypted segment by segment, for a session another node began. */
    private Digest plaintextDigest(Digest sealedDigest, SegmentedAead.FileKey key, Digest.Algorithm algorithm)
            throws IOException {
        MessageDigest digest = algorithm.newMessageDigest();
        try (BlobStore.BlobReader r = owner.raw.open(sealedDigest, 0, -1); InputStream in = r.stream()) {
            long body = r.length() - SegmentedAead.HEADER;
            in.readNBytes(SegmentedAead.HEADER);
            long count = (body + SegmentedAead.SEALED_SEGMENT - 1) / SegmentedAead.SEALED_SEGMENT;
            for (long i = 0; i < count; i++) {
                int n = (int) Math.min(SegmentedAead.SEALED_SEGMENT, body - i * SegmentedAead.SEALED_SEGMENT);
                byte[] segment = in.readNBytes(n);
                digest.update(key.open(i, i == count - 1, segment, 0, segment.length));
            }
        }
        return Digest.of(algorithm, digest.digest());
    }

    @Override
    public void cancel() throws IOException {
        ended = true;
        owner.forgetHash(id());
        raw.cancel(); // the session row goes with the upload row
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    /**
     * Claims the session (creating its row, data key and header on its first write), re-reads its state, and checks
     * that the store's bytes are exactly what the row counts.
     */
    private Claim claim() throws IOException {
        if (ended) {
            throw new UploadNotFoundException("upload " + id() + " has ended");
        }
        boolean known = session != null;
        long sizeBefore = size();
        if (!known) {
            byte[][] key = owner.envelopes.sessionKey(id(), keyArn);
            SegmentedAead.FileKey file = SegmentedAead.envelopeLayer(key[0]).newFile();
            EnvelopeStore.Session fresh = new EnvelopeStore.Session(id(), form, keyArn, key[1], file.header(), 0,
                    file.sealSide(TAIL_LABEL + 0, new byte[0]), owner.clock.instant());
            if (started) {
                session = fresh;
            } else {
                owner.metadata.write(tx -> tx.envelopes().createSession(fresh)); // another node may have been first
            }
        }
        String writer = UUID.randomUUID().toString();
        Instant now = owner.clock.instant();
        if (!started && !owner.metadata.write(tx -> tx.envelopes().claimSession(id(), writer, now,
                now.minus(CLAIM)))) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "another request is writing to upload "
                    + id());
        }
        Claim claim = null;
        try {
            if (!started) {
                session = owner.metadata.read(tx -> tx.envelopes().session(id())).orElseThrow(() ->
                        new UploadNotFoundException("upload " + id() + " not found"));
            }
            if (known && size() != sizeBefore) {
                // another node appended between this request's range check and its claim
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_RANGE_INVALID, "upload " + id()
                        + " has grown to " + size() + " bytes", Map.of("size", size()));
            }
            byte[] dataKey = owner.envelopes.openSessionKey(id(), session.innerKey());
            SegmentedAead.FileKey key = SegmentedAead.envelopeLayer(dataKey).open(session.header());
            if (raw.size() == 0 && session.segments() == 0) {
                raw.append(new ByteArrayInputStream(session.header()), -1);
            }
            if (raw.size() != SegmentedAead.segmentOffset(session.segments())) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "upload " + id() + " was interrupted "
                        + "mid-write and cannot continue; start the upload again");
            }
            claim = new Claim(writer, dataKey, key, key.openSide(TAIL_LABEL + session.segments(), session.tail()));
            return claim;
        } finally {
            if (claim == null && !started) {
                owner.metadata.write(tx -> tx.envelopes().releaseSession(id(), writer, session.segments(),
                        session.tail()));
            }
        }
    }

    /** One writer's hold on the session row. */
    private final class Claim {
        final String writer;
        final byte[] dataKey;
        final SegmentedAead.FileKey key;
        final byte[] tail;
        private Instant renewed;
        private boolean released;

        Claim(String writer, byte[] dataKey, SegmentedAead.FileKey key, byte[] tail) {
            this.writer = writer;
            this.dataKey = dataKey;
            this.key = key;
            this.tail = tail;
            this.renewed = owner.clock.instant();
        }

        /** A long append keeps its claim: renewed every third of {@link #CLAIM}. */
        void renew() {
            Instant now = owner.clock.instant();
            if (!started && now.isAfter(renewed.plus(CLAIM.dividedBy(3)))) {
                owner.metadata.write(tx -> tx.envelopes().claimSession(id(), writer, now, now.minus(CLAIM)));
                renewed = now;
            }
        }

        void release(long segments, byte[] pending) {
            byte[] sealedTail = key.sealSide(TAIL_LABEL + segments, pending);
            released = true;
            if (!started && !owner.metadata.write(tx -> tx.envelopes().releaseSession(id(), writer, segments,
                    sealedTail))) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "upload " + id()
                        + " was taken over by another request while this one wrote");
            }
            EnvelopeStore.Session s = session;
            session = new EnvelopeStore.Session(s.uploadId(), s.form(), s.keyArn(), s.innerKey(), s.header(),
                    segments, sealedTail, s.createdAt());
        }

        void abandon() {
            if (!released && !started) {
                released = true;
                EnvelopeStore.Session s = session;
                owner.metadata.write(tx -> tx.envelopes().releaseSession(id(), writer, s.segments(), s.tail()));
            }
        }
    }
}
