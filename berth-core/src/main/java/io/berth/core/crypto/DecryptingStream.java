package io.berth.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The plaintext of a {@link SegmentedAead} file from {@code offset}, {@code length} bytes, decrypting only the
 * segments that range touches, one at a time. A segment that does not open is an IOException: the reader never
 * hands out a byte it could not authenticate.
 */
public final class DecryptingStream extends InputStream {
    private final FileChannel channel;
    private final SegmentedAead.FileKey key;
    private final long segments;
    private final long fileSize;
    private long index;
    private long remaining;
    private byte[] plain = new byte[0];
    private int position;

    /** @param offset where to start in the plaintext; {@code length} bytes are delivered (caller clamps it) */
    public DecryptingStream(FileChannel channel, SegmentedAead.FileKey key, long fileSize, long offset,
                            long length) {
        this.channel = channel;
        this.key = key;
        this.fileSize = fileSize;
        this.segments = (fileSize - SegmentedAead.HEADER + SegmentedAead.SEALED_SEGMENT - 1)
                / SegmentedAead.SEALED_SEGMENT;
        this.index = offset / SegmentedAead.SEGMENT;
        this.position = (int) (offset % SegmentedAead.SEGMENT);
        this.remaining = length;
        this.plain = null;
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
        if (plain == null || position >= plain.length) {
            int skip = plain == null ? position : 0;
            plain = segment(index++);
            position = skip;
            if (position >= plain.length) {
                throw new IOException("encrypted blob ends before the range it was asked for");
            }
        }
        int n = (int) Math.min(Math.min(len, plain.length - position), remaining);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        remaining -= n;
        return n;
    }

    private byte[] segment(long i) throws IOException {
        if (i >= segments) {
            throw new IOException("encrypted blob has no segment " + i);
        }
        long start = SegmentedAead.segmentOffset(i);
        int size = (int) Math.min(SegmentedAead.SEALED_SEGMENT, fileSize - start);
        ByteBuffer buf = ByteBuffer.allocate(size);
        while (buf.hasRemaining()) {
            if (channel.read(buf, start + buf.position()) < 0) {
                throw new IOException("encrypted blob cut short");
            }
        }
        return key.open(i, i == segments - 1, buf.array(), 0, size);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
