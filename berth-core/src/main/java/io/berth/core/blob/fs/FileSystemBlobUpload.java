package io.berth.core.blob.fs;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.BlobUploadTooLargeException;
import io.berth.core.spi.blob.UploadNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One upload session of a {@link FileSystemBlobStore}: the file {@code uploads/<id>/data}. Not thread-safe; the
 * service serialises requests per session.
 */
final class FileSystemBlobUpload implements BlobUpload {

    /** Buffers per append: one being filled and hashed, up to two queued for or in the writer. */
    private static final int RING = 3;

    private final FileSystemBlobStore store;
    private final String id;
    private final Path dir;
    private final Path data;
    /** Bytes in the session file as far as this instance knows; kept exact across failed appends. */
    private long size;
    /** Opened by the first append or commit, closed by close, commit and cancel. */
    private FileChannel channel;
    private boolean ended;

    FileSystemBlobUpload(FileSystemBlobStore store, String id, Path dir, long size) {
        this.store = store;
        this.id = id;
        this.dir = dir;
        this.data = dir.resolve(FileSystemBlobStore.UPLOAD_DATA);
        this.size = size;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * Streams {@code in} into the session file, hashing as it goes. Hashing (about 1 GB/s) and copying into the page
     * cache each cost about as much as the other, so they overlap: this thread fills a buffer and hashes it while a
     * writer task of the store's executor writes it, from a ring of {@link #RING} buffers. The last buffer is
     * written inline, so a small blob that fits in one buffer never hops threads. Every {@code flushInterval}
     * bytes a background {@code fdatasync} starts, so commit's fsync finds little left to flush.
     */
    @Override
    public long append(InputStream in, long maxBytes) throws IOException {
        FileChannel ch = channel();
        long start = ch.size();
        ch.position(start);
        size = start;
        HashState hash = currentHash(ch, start);
        // Only once every byte written is known to be hashed too (and vice versa) may the state be cached again.
        boolean consistent = false;
        byte[][] ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            ring[i] = store.borrowBuffer();
        }
        CompletableFuture<?>[] written = new CompletableFuture<?>[RING];
        CompletableFuture<?> writes = CompletableFuture.completedFuture(null);
        CompletableFuture<?> flush = CompletableFuture.completedFuture(null);
        long flushInterval = store.flushInterval();
        long nextFlush = flushInterval;
        try {
            long appended = 0;
            for (int slot = 0; ; slot = (slot + 1) % RING) {
                if (written[slot] != null) {
                    await(written[slot]); // the buffer is free again once its write is done
                }
                byte[] buffer = ring[slot];
                int filled = 0;
                boolean eof = false;
                IOException readFailure = null;
                while (filled < buffer.length) {
                    int n;
                    try {
                        n = in.read(buffer, filled, buffer.length - filled);
                    } catch (IOException e) {
                        readFailure = e; // the client went away: keep what it delivered, then report it
                        break;
                    }
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    filled += n;
                }
                boolean tooLarge = maxBytes >= 0 && appended + filled > maxBytes;
                int accepted = tooLarge ? (int) (maxBytes - appended) : filled;
                boolean last = eof || tooLarge || readFailure != null;
                if (last) {
                    await(writes);
                    writeFully(ch, buffer, accepted);
                } else {
                    writes = writes.thenRunAsync(() -> writeFullyUnchecked(ch, buffer, accepted), store.executor());
                    written[slot] = writes;
                }
                hash.update(buffer, 0, accepted);
                appended += accepted;
                if (flushInterval > 0 && appended >= nextFlush && flush.isDone()) {
                    await(flush);
                    flush = CompletableFuture.runAsync(() -> forceUnchecked(ch), store.executor());
                    nextFlush = appended + flushInterval;
                }
                if (last) {
                    await(flush); // it must not outlive the channel, which close() may close next
                    size = start + appended;
                    consistent = true;
                    if (appended < flushInterval) {
                        store.flushEarly(data, start, size); // chunked: no single append reached the interval
                    }
                    if (tooLarge) {
                        throw new BlobUploadTooLargeException("upload " + id + " exceeds the limit of " + maxBytes
                                + " bytes for one request");
                    }
                    if (readFailure != null) {
                        throw readFailure;
                    }
                    return appended;
                }
            }
        } catch (Throwable failure) {
            // In-flight writes still read the ring buffers: wait for them before the buffers go back to the pool.
            awaitAfterFailure(writes, failure);
            awaitAfterFailure(flush, failure);
            if (!consistent) {
                resyncSizeAfterFailure(ch, failure);
            }
            throw failure;
        } finally {
            for (byte[] buffer : ring) {
                store.returnBuffer(buffer);
            }
            if (consistent) {
                store.putHashState(id, hash);
            }
        }
    }

    @Override
    public BlobStore.BlobInfo commit(Digest expected) throws IOException {
        FileChannel ch = channel();
        long fileSize = ch.size();
        Digest actual = expected.algorithm() == Digest.Algorithm.SHA256
                ? currentHash(ch, fileSize).current()
                : Digest.of(expected.algorithm(), hashFile(ch, expected.algorithm().newMessageDigest()).digest());
        BlobFiles.requireDigest(this, actual, expected);
        Path target = store.blobPath(expected);
        if (BlobFiles.keepExisting(this, target)) {
            return new BlobStore.BlobInfo(expected, fileSize);
        }
        // Data must be on disk before the rename can be: otherwise a crash could leave a visible blob with holes.
        ch.force(true);
        closeChannel();
        store.ensureDurableDirectory(target.getParent());
        // rename(2): readers see no blob or the whole blob. A concurrent commit of the same digest may replace
        // the target with identical bytes, which is harmless.
        Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
        FileSystemBlobStore.fsyncDirectory(target.getParent());
        ended = true;
        store.forgetHashState(id);
        Files.deleteIfExists(dir);
        return new BlobStore.BlobInfo(expected, fileSize);
    }

    @Override
    public BlobStore.BlobInfo commitAsHashed() throws IOException {
        FileChannel ch = channel();
        HashState hash = currentHash(ch, ch.size());
        store.putHashState(id, hash); // commit takes it again: the file is hashed once
        return commit(hash.current());
    }

    @Override
    public void cancel() throws IOException {
        ended = true;
        store.forgetHashState(id);
        closeChannel();
        Files.deleteIfExists(data);
        Files.deleteIfExists(dir);
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }

    private FileChannel channel() throws IOException {
        if (ended) {
            throw new UploadNotFoundException("upload " + id + " has ended");
        }
        if (channel == null) {
            try {
                channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                throw new UploadNotFoundException("upload " + id + " not found");
            }
        }
        return channel;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            FileChannel ch = channel;
            channel = null;
            ch.close();
        }
    }

    /**
     * The SHA-256 state covering exactly the first {@code fileSize} bytes, taken from the store's cache when it
     * matches and rehashed from the file otherwise (restart, another node wrote the previous chunk, crash).
     */
    private HashState currentHash(FileChannel ch, long fileSize) throws IOException {
        HashState cached = store.takeHashState(id);
        if (cached != null && cached.bytes() == fileSize) {
            return cached;
        }
        return HashState.of(hashFile(ch, Digest.Algorithm.SHA256.newMessageDigest()), fileSize);
    }

    /** Feeds the whole file to {@code digest} with positional reads, leaving the channel's position alone. */
    private MessageDigest hashFile(FileChannel ch, MessageDigest digest) throws IOException {
        byte[] buffer = store.borrowBuffer();
        try {
            ByteBuffer bb = ByteBuffer.wrap(buffer);
            long position = 0;
            while (true) {
                bb.clear();
                int n = ch.read(bb, position);
                if (n < 0) {
                    return digest;
                }
                digest.update(buffer, 0, n);
                position += n;
            }
        } finally {
            store.returnBuffer(buffer);
        }
    }

    private static void writeFullyUnchecked(FileChannel ch, byte[] buffer, int length) {
        try {
            writeFully(ch, buffer, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void forceUnchecked(FileChannel ch) {
        try {
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a background write or flush, rethrowing its failure as the IOException it was. */
    private static void await(CompletableFuture<?> future) throws IOException {
        try {
            future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static void awaitAfterFailure(CompletableFuture<?> future, Throwable failure) {
        try {
            await(future);
        } catch (IOException | RuntimeException | Error e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void writeFully(FileChannel ch, byte[] buffer, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, length);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** After a failed write the file, not our counter, is the truth; the next append or commit rehashes it. */
    private void resyncSizeAfterFailure(FileChannel ch, Throwable failure) {
        try {
            size = ch.size();
        } catch (IOException e) {
            // Keep the last known value (size() cannot throw); resumeUpload reads the real size from the file.
            failure.addSuppressed(e);
        }
    }
}
