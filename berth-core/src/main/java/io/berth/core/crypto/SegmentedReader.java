package io.berth.core.crypto;

import java.io.IOException;
import java.io.InputStream;

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
        return new InputStream() {
            private long index = offset / SegmentedAead.SEGMENT;
            // one read of the sealed range the plaintext range touches, consumed a segment at a time
            private InputStream in;
            private int position = (int) (offset % SegmentedAead.SEGMENT);
            private long remaining = length;
            private byte[] plain;

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
                if (plain == null || position >= plain.length) {
                    int skip = plain == null ? position : 0;
                    if (in == null) {
                        long last = (offset + length - 1) / SegmentedAead.SEGMENT;
                        long from = SegmentedAead.segmentOffset(index);
                        in = sealed.open(from, Math.min(SegmentedAead.segmentOffset(last + 1), sealed.size()) - from);
                    }
                    plain = segment(in, index++);
                    position = skip;
                    if (position >= plain.length) {
                        throw new IOException("sealed blob ends before the range asked for");
                    }
                }
                int n = (int) Math.min(Math.min(len, plain.length - position), remaining);
                System.arraycopy(plain, position, b, off, n);
                position += n;
                remaining -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    private byte[] segment(InputStream in, long i) throws IOException {
        if (i >= segments) {
            throw new IOException("sealed blob has no segment " + i);
        }
        long start = SegmentedAead.segmentOffset(i);
        int stored = (int) Math.min(SegmentedAead.SEALED_SEGMENT, sealed.size() - start);
        byte[] buf = in.readNBytes(stored);
        if (buf.length != stored) {
            throw new IOException("sealed blob cut short");
        }
        return key.open(i, i == segments - 1, buf, 0, stored);
    }

}
