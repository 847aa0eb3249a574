package io.berth.core.envelope;

import io.berth.core.crypto.SegmentedAead;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Encrypts as it streams: plaintext written here reaches {@code sink} as a {@link SegmentedAead} file (header, then
 * one sealed segment per {@link SegmentedAead#SEGMENT} bytes). The last segment, carrying the last-segment mark, is
 * written only by {@link #finish}: a stream abandoned midway (a crash, a broken upload) never opens.
 */
final class SealingOutputStream extends OutputStream {
    private final SegmentedAead.FileKey key;
    private final OutputStream sink;
    private final byte[] segment = new byte[SegmentedAead.SEGMENT];
    private int filled;
    private long index;
    private boolean headerWritten;
    private boolean finished;

    SealingOutputStream(SegmentedAead.FileKey key, OutputStream sink) {
        this.key = key;
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        header();
        while (len > 0) {
            if (filled == segment.length) {
                // a full segment is sealed only once more bytes arrive: until then it may be the last
                sink.write(key.seal(index++, false, segment, 0, filled));
                filled = 0;
            }
            int n = Math.min(len, segment.length - filled);
            System.arraycopy(b, off, segment, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Seals the last segment and finishes the sink (which, for a nested layer, seals its own last segment). */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        header();
        sink.write(key.seal(index, true, segment, 0, filled));
        finished = true;
        if (sink instanceof SealingOutputStream outer) {
            outer.finish();
        }
        sink.flush();
    }

    private void header() throws IOException {
        if (!headerWritten) {
            sink.write(key.header());
            headerWritten = true;
        }
    }

    /** Closing does not finish: only {@link #finish} makes a file that opens. */
    @Override
    public void close() throws IOException {
        sink.close();
    }
}
