package io.berth.core.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The plaintext of a {@link SegmentedAead} file from {@code offset}, {@code length} bytes, decrypting only the
 * segments that range touches, one at a time ({@link SegmentedReader} over the file). A segment that does not open
 * is an IOException: the reader never hands out a byte it could not authenticate. Closing closes the channel.
 */
public final class DecryptingStream extends FilterInputStream {
    private final FileChannel channel;

    /** @param offset where to start in the plaintext; {@code length} bytes are delivered (caller clamps it) */
    public DecryptingStream(FileChannel channel, SegmentedAead.FileKey key, long fileSize, long offset,
                            long length) throws IOException {
        super(new SegmentedReader(RangeSource.of(channel, fileSize), key).open(offset, length));
        this.channel = channel;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            channel.close();
        }
    }
}
