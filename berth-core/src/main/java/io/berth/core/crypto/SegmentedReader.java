package io.berth.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The plaintext of a {@link SegmentedAead} file held in a {@link RangeSource}: a range read fetches and opens only
 * the segments it touches, so a range of a two-layer (KMS_DSSE) blob costs two segment decryptions per segment,
 * not the whole blob. A segment that does not open is an IOException: no unauthenticated byte is handed out.
 */
public final class SegmentedReader implements RangeSource {
    private final RangeSource sealed;
    private final SegmentedAead.FileKey key;
    private final long segments;
    private final long size;

    /** Over a sealed file whose header gave {@code key}. */
    public SegmentedReader(RangeSource sealed, SegmentedAead.FileKey key) throws IOException {
        this.sealed = sealed;
        this.key = key;
        long body = sealed.size() - SegmentedAead.HEADER;
        if (body < SegmentedAead.OVERHEAD) {
            throw new IOException("sealed blob too short: it was cut short or is not one");
        }
        this.segments = (body + SegmentedAead.SEALED_SEGMENT - 1) / SegmentedAead.SEALED_SEGMENT;
        this.size = SegmentedAead.plaintextSize(sealed.size());
    }

    /** Opens the file under {@code aead}: reads its header and derives the file key from it. */
    public static SegmentedReader open(RangeSource sealed, SegmentedAead aead) throws IOException {
        if (sealed.size() < SegmentedAead.HEADER) {
            throw new IOException("sealed blob too short: it was cut short or is not one");
        }
        byte[] header;
        try (InputStream in = sealed.open(0, SegmentedAead.HEADER)) {
            header = in.readNBytes(SegmentedAead.HEADER);
        }
        return new SegmentedReader(sealed, aead.open(header));
    }

    @Override
    public long size() { return size; }

    @Override
    public InputStream open(long offset, long length) {
        return new Stream(offset, length);
    }

    /** Segments read and opened at once: 512 KiB of plaintext, so a download makes few, large writes. */
    static final int BATCH = 8;
    /**
     * Opens the next batch while the reader consumes this one: on two cores the decryption then overlaps the copy
     * to the socket instead of taking turns with it. Daemon threads, made on demand and gone when idle.
     */
    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "berth-decrypt-ahead");
        thread.setDaemon(true);
        return thread;
    });

    /** A batch's buffers: the sealed bytes as read, and their plaintext. */
    private static final class Batch {
        final byte[] sealedBytes;
        final byte[] plain;
        int length;

        /** Room for {@code segments} segments: a small blob's read does not allocate a whole batch. */
        Batch(long segments) {
            int n = (int) Math.min(BATCH, Math.max(1, segments));
            sealedBytes = new byte[n * SegmentedAead.SEALED_SEGMENT];
            plain = new byte[n * SegmentedAead.SEGMENT];
        }
    }

    /**
     * One range's plaintext: a single read of the sealed range it touches, consumed a batch at a time, the next
     * batch opened ahead on {@link #AHEAD} while this one is handed out. Only one thread reads the sealed stream at
     * a time: a batch is fetched only after the previous fetch has been joined.
     */
    private final class Stream extends InputStream {
        private final long lastSegment;
        private final long start;
        private long next;
        private long remaining;
        private int skip;
        private InputStream in;
        private Batch current;
        private Batch spare;
        private int position;
        private CompletableFuture<Batch> ahead;

        Stream(long offset, long length) {
            this.start = offset / SegmentedAead.SEGMENT;
            this.next = start;
            this.lastSegment = length <= 0 ? start : (offset + length - 1) / SegmentedAead.SEGMENT;
            this.skip = (int) (offset % SegmentedAead.SEGMENT);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (current == null || position >= current.length) {
                advance();
            }
            int n = (int) Math.min(Math.min(len, current.length - position), remaining);
            System.arraycopy(current.plain, position, b, off, n);
            position += n;
            remaining -= n;
            return n;
        }

        /** Makes the next batch current, and starts opening the one after it. */
        private void advance() throws IOException {
            Batch done = current;
            if (ahead != null) {
                current = await(ahead);
                ahead = null;
            } else {
                current = fetch(done != null ? done : new Batch(lastSegment - start + 1));
                done = null;
            }
            position = skip;
            skip = 0;
            if (position >= current.length) {
                throw new IOException("sealed blob ends before the range asked for");
            }
            if (next <= lastSegment && remaining > current.length - position) {
                SegmentedAead.warmUpInBackground(); // more than a batch: worth compiling AES-GCM for now
                Batch into = done != null ? done : spare != null ? spare : new Batch(BATCH);
                spare = null;
                ahead = CompletableFuture.supplyAsync(() -> {
                    try {
                        return fetch(into);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, AHEAD);
            } else if (done != null) {
                spare = done;
            }
        }

        /** Reads and opens the next up to {@link #BATCH} segments of the range into {@code batch}. */
        private Batch fetch(Batch batch) throws IOException {
            if (next >= segments) {
                throw new IOException("sealed blob has no segment " + next);
            }
            if (in == null) {
                long from = SegmentedAead.segmentOffset(start);
                in = sealed.open(from, Math.min(SegmentedAead.segmentOffset(lastSegment + 1), sealed.size()) - from);
            }
            long first = next;
            int count = (int) Math.min(BATCH, Math.min(lastSegment, segments - 1) - first + 1);
            long from = SegmentedAead.segmentOffset(first);
            int stored = (int) (Math.min(SegmentedAead.segmentOffset(first + count), sealed.size()) - from);
            if (in.readNBytes(batch.sealedBytes, 0, stored) != stored) {
                throw new IOException("sealed blob cut short");
            }
            int plain = 0;
            for (int k = 0; k < count; k++) {
                long index = first + k;
                int at = k * SegmentedAead.SEALED_SEGMENT;
                int size = Math.min(SegmentedAead.SEALED_SEGMENT, stored - at);
                plain += key.openInto(index, index == segments - 1, batch.sealedBytes, at, size, batch.plain,
                        k * SegmentedAead.SEGMENT);
            }
            batch.length = plain;
            next = first + count;
            return batch;
        }

        @Override
        public void close() throws IOException {
            if (ahead != null) {
                ahead.handle((b, t) -> null).join(); // it may still be reading the sealed stream
                ahead = null;
            }
            if (in != null) {
                in.close();
            }
        }
    }

    private static Batch await(CompletableFuture<Batch> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
