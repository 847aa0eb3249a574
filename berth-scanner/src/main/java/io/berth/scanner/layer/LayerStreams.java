package io.berth.scanner.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** The streams under the tar reader: digest and size of the stored bytes, decompression, and the byte budget. */
final class LayerStreams {
    private LayerStreams() {}

    /**
     * Decompresses by the stream's magic bytes rather than by media type: Docker has long pushed gzip layers under
     * the uncompressed tar type and some tools label zstd layers gzip, and a wrong label must not turn a readable
     * layer into a failed scan. Anything that is neither gzip nor zstd is read as tar (and fails there if it is not).
     */
    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStreamNoFinalizer(in);
        }
        return in;
    }

    /** An IOException that carries a ScanFailure up through the compress and tar readers. */
    static final class FailureIOException extends IOException {
        final ScanFailure failure;

        FailureIOException(ScanFailure failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /** Counts and hashes the stored bytes, which the manifest's digest and size describe. */
    static final class Hashing extends FilterInputStream {
        final MessageDigest digest;
        long count;

        Hashing(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipping would leave bytes unhashed
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int read = read(buf, 0, buf.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() { return false; }
    }

    /** Counts decompressed bytes against the image's budget: a gzip or zstd bomb stops at the limit. */
    static final class Budgeted extends FilterInputStream {
        private final long[] used;
        private final long limit;

        Budgeted(InputStream in, long[] used, long limit) {
            super(in);
            this.used = used;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int read = read(buf, 0, buf.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() { return false; }

        private void add(long n) throws FailureIOException {
            used[0] += n;
            if (used[0] > limit) {
                throw new FailureIOException(new ScanFailure(FailureReason.LIMIT_EXCEEDED,
                        "the layers decompress to more than " + limit + " bytes"));
            }
        }
    }

    /** The current entry's bytes, for an analyzer, which must not close the tar stream under it. */
    static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }

    static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (in.read(buf) >= 0) {
            // reading to the end: the digest covers every byte, and a truncated stream shows here
        }
    }
}
