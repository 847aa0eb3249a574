package io.berth.core.crypto;

import java.io.IOException;
import java.io.InputStream;

/** Bytes that can be read from any offset: a stored blob, or the plaintext of a layer of encryption over one. */
public interface RangeSource {
    long size();

    /** {@code length} bytes from {@code offset}; the caller keeps within {@link #size}. */
    InputStream open(long offset, long length) throws IOException;

    /** The first {@code size} bytes of a file, read at positions (the channel's own position is left alone). */
    static RangeSource of(java.nio.channels.FileChannel channel, long size) {
        return new RangeSource() {
            @Override public long size() { return size; }

            @Override public InputStream open(long offset, long length) {
                return new InputStream() {
                    private long position = offset;
                    private long remaining = length;

                    @Override public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override public int read(byte[] b, int off, int len) throws IOException {
                        if (remaining <= 0) {
                            return -1;
                        }
                        int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)),
                                position);
                        if (n < 0) {
                            throw new IOException("encrypted blob cut short");
                        }
                        position += n;
                        remaining -= n;
                        return n;
                    }
                };
            }
        };
    }
}
