package io.berth.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bytes of one part being gathered, in pooled 1 MiB chunks: a small blob (a config, a tiny layer) costs one
 * chunk, not a whole part. Not thread-safe; one per append.
 */
final class PartBuffer implements AutoCloseable {
    static final int CHUNK = 1 << 20;
    private static final BlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(32);

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    long size() {
        return size;
    }

    /**
     * Reads from {@code in} until {@code max} more bytes arrived or EOF, feeding them to {@code hash} (when not
     * null). The bytes read before a failure stay in the buffer, hashed, and count in {@link #size()}.
     * @return whether {@code in} reached EOF
     */
    boolean fill(InputStream in, long max, MessageDigest hash) throws IOException {
        long remaining = max;
        while (remaining > 0) {
            int offset = (int) (size % CHUNK);
            if (size == chunks.size() * (long) CHUNK) {
                chunks.add(borrow());
            }
            byte[] chunk = chunks.get(chunks.size() - 1);
            int n = in.read(chunk, offset, (int) Math.min(CHUNK - offset, remaining));
            if (n < 0) {
                return true;
            }
            if (hash != null) {
                hash.update(chunk, offset, n);
            }
            size += n;
            remaining -= n;
        }
        return false;
    }

    /** A body S3 can read more than once (the SDK re-reads on a retry). */
    RequestBody body() {
        long length = size;
        List<byte[]> snapshot = List.copyOf(chunks);
        return RequestBody.fromContentProvider(() -> new ChunkStream(snapshot, length), length,
                "application/octet-stream");
    }

    /** Empties the buffer, keeping its chunks for the next part. */
    void clear() {
        size = 0;
        while (chunks.size() > 1) {
            POOL.offer(chunks.remove(chunks.size() - 1));
        }
        if (chunks.size() == 1) {
            POOL.offer(chunks.remove(0));
        }
    }

    @Override
    public void close() {
        clear();
    }

    private static byte[] borrow() {
        byte[] chunk = POOL.poll();
        return chunk != null ? chunk : new byte[CHUNK];
    }

    private static final class ChunkStream extends InputStream {
        private final List<byte[]> chunks;
        private final long length;
        private long position;

        ChunkStream(List<byte[]> chunks, long length) {
            this.chunks = chunks;
            this.length = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            byte[] chunk = chunks.get((int) (position / CHUNK));
            int offset = (int) (position % CHUNK);
            int n = (int) Math.min(Math.min(len, CHUNK - offset), length - position);
            System.arraycopy(chunk, offset, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }
    }
}
