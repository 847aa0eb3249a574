package io.berth.core.blob.fs;

import io.berth.core.crypto.SegmentedAead;
import io.berth.core.fs.PrivateFiles;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.BlobUploadTooLargeException;
import io.berth.core.spi.blob.UploadNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An upload session of a {@link FileSystemBlobStore} that encrypts at rest ({@link SegmentedAead}): the plaintext
 * is encrypted as it streams in, so no plaintext byte is ever written. {@code uploads/<id>/data} holds the header
 * and the full segments; the bytes after the last full segment wait sealed in {@code uploads/<id>/tail}, with the
 * count of full segments they follow, and are the last segment at commit. The tail file is replaced atomically after
 * the segments it follows are on disk, so a crash at any point leaves the session as of its last acknowledged
 * append (segments past the recorded count are cut off on resume); a committed blob appears only by the rename of
 * a complete, last-segment-marked file, forced to disk first. Appends are not forced one by one (as the plain
 * store's are not): what makes a blob durable is its commit.
 */
final class EncryptedBlobUpload implements BlobUpload {
    static final String TAIL = "tail";
    /** Segments sealed and written per task (1 MiB of plaintext). */
    private static final int BATCH = 16;
    /** Buffers per append: one being filled and hashed, up to two being sealed and written. */
    private static final int RING = 3;
    private static final String TAIL_LABEL = "upload-tail";

    private final FileSystemBlobStore store;
    private final String id;
    private final Path dir;
    private final Path data;
    private final Path tailFile;
    private final SegmentedAead.FileKey key;
    /** Full segments in the data file, and the plaintext after them. */
    private long full;
    private byte[] tail;
    private boolean ended;

    private EncryptedBlobUpload(FileSystemBlobStore store, String id, Path dir, SegmentedAead.FileKey key,
                                long full, byte[] tail) {
        this.store = store;
        this.id = id;
        this.dir = dir;
        this.data = dir.resolve(FileSystemBlobStore.UPLOAD_DATA);
        this.tailFile = dir.resolve(TAIL);
        this.key = key;
        this.full = full;
        this.tail = tail;
    }

    /** A new session in {@code dir} (which exists, with an empty data file). */
    static EncryptedBlobUpload start(FileSystemBlobStore store, SegmentedAead aead, String id, Path dir)
            throws IOException {
        SegmentedAead.FileKey key = aead.newFile();
        Path data = dir.resolve(FileSystemBlobStore.UPLOAD_DATA);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(key.header()), 0);
        }
        EncryptedBlobUpload u = new EncryptedBlobUpload(store, id, dir, key, 0, new byte[0]);
        u.saveTail();
        return u;
    }

    /** The session in {@code dir} as its tail file records it. */
    static EncryptedBlobUpload resume(FileSystemBlobStore store, SegmentedAead aead, String id, Path dir)
            throws IOException {
        Path data = dir.resolve(FileSystemBlobStore.UPLOAD_DATA);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(SegmentedAead.HEADER);
            ch.read(header, 0);
            SegmentedAead.FileKey key = aead.open(header.array());
            byte[] sealed = Files.readAllBytes(dir.resolve(TAIL));
            ByteBuffer state = ByteBuffer.wrap(key.openSide(TAIL_LABEL, sealed));
            long full = state.getLong();
            byte[] tail = new byte[state.remaining()];
            state.get(tail);
            return new EncryptedBlobUpload(store, id, dir, key, full, tail);
        } catch (NoSuchFileException e) {
            throw new UploadNotFoundException("upload " + id + " not found");
        } catch (IOException e) {
            // damaged (or sealed under another master key): nothing can be appended or committed, but GC can
            // still cancel it
            return new EncryptedBlobUpload(store, id, dir, null, 0, new byte[0]);
        }
    }

    /**
     * The plaintext size of the session in {@code dir} from its files' sizes alone (no decryption), for listings;
     * {@code dataSize} as is when the session is not an encrypted one.
     */
    static long sessionSize(Path dir, long dataSize) throws IOException {
        Path tail = dir.resolve(TAIL);
        if (!Files.exists(tail)) {
            return dataSize;
        }
        long full = Math.max(0, dataSize - SegmentedAead.HEADER) / SegmentedAead.SEALED_SEGMENT;
        return full * SegmentedAead.SEGMENT + Math.max(0, Files.size(tail) - SegmentedAead.OVERHEAD - Long.BYTES);
    }

    @Override
    public String id() { return id; }

    @Override
    public long size() { return full * SegmentedAead.SEGMENT + tail.length; }

    /**
     * Encrypts {@code in} into the session, hashing the plaintext; the state is saved even when the client fails.
     * Hashing (on this thread) and sealing plus writing (on the store's executor, a batch of {@link #BATCH}
     * segments sealed into one buffer and written with one call) overlap, as the plain upload's hashing and
     * writing do, from a ring of {@link #RING} buffers (one being filled, up to two being sealed). Every
     * {@code flushInterval} bytes a background {@code fdatasync} starts, so the disk writes while the body still
     * streams in and the force at the end finds little left.
     */
    @Override
    public long append(InputStream in, long maxBytes) throws IOException {
        requireOpen();
        HashState hash = currentHash();
        byte[] pending = tail;
        long next = full;
        long appended = 0;
        IOException failure = null;
        byte[][] ring = new byte[RING][];
        byte[][] sealed = new byte[RING][];
        CompletableFuture<?>[] written = new CompletableFuture<?>[RING];
        CompletableFuture<?> flush = CompletableFuture.completedFuture(null);
        long flushInterval = store.flushInterval();
        long nextFlush = flushInterval;
        for (int i = 0; i < RING; i++) {
            ring[i] = store.borrowBuffer();
        }
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                ch.truncate(SegmentedAead.segmentOffset(full)); // segments a crashed append wrote, never recorded
                boolean last = false;
                for (int slot = 0; !last; slot = (slot + 1) % RING) {
                    if (written[slot] != null) {
                        await(written[slot]); // its buffers are free again once its batch is written
                        written[slot] = null;
                    }
                    byte[] buffer = ring[slot];
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
                            failure = new BlobUploadTooLargeException("upload " + id + " exceeds the limit of "
                                    + maxBytes + " bytes for one request");
                            last = true;
                        }
                        hash.update(buffer, filled, n);
                        filled += n;
                        appended += n;
                        if (last) {
                            break;
                        }
                    }
                    int segments = filled / SegmentedAead.SEGMENT;
                    if (segments > 0) {
                        if (segments == BATCH) {
                            SegmentedAead.warmUpInBackground(); // a large blob: worth compiling AES-GCM for now
                        }
                        long first = next;
                        int need = segments * SegmentedAead.SEALED_SEGMENT;
                        if (sealed[slot] == null || sealed[slot].length < need) {
                            sealed[slot] = new byte[need];
                        }
                        byte[] out = sealed[slot];
                        written[slot] = CompletableFuture.runAsync(
                                () -> sealAndWrite(ch, buffer, out, first, segments), store.executor());
                        next += segments;
                    }
                    pending = Arrays.copyOfRange(buffer, segments * SegmentedAead.SEGMENT, filled);
                    if (flushInterval > 0 && appended >= nextFlush && flush.isDone()) {
                        await(flush);
                        flush = CompletableFuture.runAsync(() -> force(ch), store.executor());
                        nextFlush = appended + flushInterval;
                    }
                }
            } finally {
                // none may still write (or read a ring buffer) once the channel closes or the buffers go back
                for (CompletableFuture<?> w : written) {
                    if (w != null) {
                        w.exceptionally(t -> null).join();
                    }
                }
                flush.exceptionally(t -> null).join();
            }
            for (CompletableFuture<?> w : written) {
                if (w != null) {
                    await(w);
                }
            }
            await(flush);
            // No force here: the tail is replaced only after every segment it counts was written, so a killed
            // process leaves a consistent session either way, and commit forces the file before the rename that
            // makes it a blob. An fsync per PATCH made a chunked upload wait for the disk once a chunk.
        } finally {
            for (byte[] buffer : ring) {
                store.returnBuffer(buffer);
            }
        }
        long before = size();
        full = next;
        tail = pending;
        saveTail();
        if (appended < flushInterval) {
            store.flushEarly(data, before, size()); // chunked: no single append reached the interval
        }
        store.putHashState(id, hash);
        if (failure != null) {
            throw failure;
        }
        return appended;
    }

    /** Seals {@code segments} full segments of {@code buffer} as segments {@code first}... and writes them at once. */
    private void sealAndWrite(FileChannel ch, byte[] buffer, byte[] out, long first, int segments) {
        try {
            for (int k = 0; k < segments; k++) {
                key.sealInto(first + k, false, buffer, k * SegmentedAead.SEGMENT, SegmentedAead.SEGMENT, out,
                        k * SegmentedAead.SEALED_SEGMENT);
            }
            writeFully(ch, ByteBuffer.wrap(out, 0, segments * SegmentedAead.SEALED_SEGMENT),
                    SegmentedAead.segmentOffset(first));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void force(FileChannel ch) {
        try {
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CompletableFuture<?> write) throws IOException {
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
        requireOpen();
        Digest actual = expected.algorithm() == Digest.Algorithm.SHA256 ? currentHash().current()
                : Digest.of(expected.algorithm(), rehash(expected.algorithm().newMessageDigest()).digest());
        BlobFiles.requireDigest(this, actual, expected);
        long plaintext = size();
        Path target = store.blobPath(expected);
        if (BlobFiles.keepExisting(this, target)) {
            return new BlobStore.BlobInfo(expected, plaintext);
        }
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = SegmentedAead.segmentOffset(full);
            ch.truncate(at);
            writeFully(ch, ByteBuffer.wrap(key.seal(full, true, tail, 0, tail.length)), at);
            ch.force(true);
        }
        store.ensureDurableDirectory(target.getParent());
        Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
        FileSystemBlobStore.fsyncDirectory(target.getParent());
        ended = true;
        store.forgetHashState(id);
        Files.deleteIfExists(tailFile);
        Files.deleteIfExists(dir);
        return new BlobStore.BlobInfo(expected, plaintext);
    }

    @Override
    public void cancel() throws IOException {
        ended = true;
        store.forgetHashState(id);
        Files.deleteIfExists(data);
        Files.deleteIfExists(tailFile);
        Files.deleteIfExists(dir.resolve(TAIL + ".tmp")); // a crash between writing the tail and renaming it
        Files.deleteIfExists(dir);
    }

    @Override
    public void close() { }

    private void requireOpen() throws IOException {
        if (ended || !Files.exists(tailFile)) {
            throw new UploadNotFoundException("upload " + id + " has ended");
        }
        if (key == null) {
            throw new UploadNotFoundException("upload " + id + " is damaged (its encrypted state does not open)");
        }
    }

    /** Replaces the tail file atomically: the pending plaintext, sealed, with the count of full segments. */
    private void saveTail() throws IOException {
        byte[] state = ByteBuffer.allocate(8 + tail.length).putLong(full).put(tail).array();
        Path tmp = dir.resolve(TAIL + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.createFile(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(key.sealSide(TAIL_LABEL, state)), 0);
        }
        Files.move(tmp, tailFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private HashState currentHash() throws IOException {
        HashState cached = store.takeHashState(id);
        if (cached != null && cached.bytes() == size()) {
            return cached;
        }
        return HashState.of(rehash(Digest.Algorithm.SHA256.newMessageDigest()), size());
    }

    /** Feeds the session's plaintext (its full segments, decrypted, then the tail) to {@code digest}. */
    private MessageDigest rehash(MessageDigest digest) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(SegmentedAead.SEALED_SEGMENT);
            for (long i = 0; i < full; i++) {
                buf.clear();
                long at = SegmentedAead.segmentOffset(i);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at + buf.position()) < 0) {
                        throw new IOException("upload " + id + " is missing segment " + i);
                    }
                }
                digest.update(key.open(i, false, buf.array(), 0, buf.capacity()));
            }
        }
        digest.update(tail);
        return digest;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }
}
