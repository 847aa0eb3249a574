package io.berth.core.blob.fs;

import io.berth.core.crypto.DecryptingStream;
import io.berth.core.crypto.SegmentedAead;
import io.berth.core.spi.blob.BlobStore.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.Channels;
import java.util.Optional;

/**
 * What a committed blob file is, plain or encrypted at rest ({@link SegmentedAead}, recognised by its header), so
 * the store reads both: blobs written before encryption was turned on stay plain and readable, and encrypted ones
 * stay readable after it is turned off (the key comes from the master key, not the setting).
 */
final class BlobFiles {
    private BlobFiles() {}

    /**
     * A commit's digest check: on a mismatch nothing becomes visible, the session is cancelled and
     * DigestMismatchException thrown.
     */
    static void requireDigest(io.berth.core.spi.blob.BlobUpload upload, io.berth.core.model.Digest actual,
                              io.berth.core.model.Digest expected) throws IOException {
        if (actual.equals(expected)) {
            return;
        }
        io.berth.core.spi.blob.DigestMismatchException mismatch = new io.berth.core.spi.blob.DigestMismatchException(
                "content hashes to " + actual + " but the client named " + expected);
        try {
            upload.cancel();
        } catch (IOException e) {
            mismatch.addSuppressed(e); // the mismatch is what the client must hear; GC purges the leftovers
        }
        throw mismatch;
    }

    /**
     * True (and the session cancelled) when the blob is committed already: content-addressed, the stored copy has
     * these very bytes, so it stays untouched. A racing commit may have renamed it in without having fsync'd the
     * directory yet; this makes sure before the caller answers.
     */
    static boolean keepExisting(io.berth.core.spi.blob.BlobUpload upload, Path target) throws IOException {
        if (!Files.exists(target)) {
            return false;
        }
        FileSystemBlobStore.fsyncDirectory(target.getParent());
        upload.cancel();
        return true;
    }

    /** The header of an open file, or null when it is too short to have one. */
    static byte[] header(FileChannel channel) throws IOException {
        if (channel.size() < SegmentedAead.HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(SegmentedAead.HEADER);
        while (header.hasRemaining()) {
            if (channel.read(header, header.position()) < 0) {
                return null;
            }
        }
        return header.array();
    }

    /** The blob's size (its plaintext's, for an encrypted file) given the file's size on disk. */
    static long blobSize(Path file, long fileSize) throws IOException {
        if (fileSize < SegmentedAead.HEADER) {
            return fileSize;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] h = header(ch);
            return h != null && SegmentedAead.isSealed(h) ? SegmentedAead.plaintextSize(fileSize) : fileSize;
        }
    }

    static long blobSize(Path file) throws IOException {
        return blobSize(file, Files.size(file));
    }

    /** A reader of {@code length} bytes from {@code offset} of an encrypted file; null when it is plain. */
    static BlobReader encryptedReader(SegmentedAead aead, FileChannel channel, long offset, long length)
            throws IOException {
        byte[] h = header(channel);
        if (h == null || !SegmentedAead.isSealed(h)) {
            return null;
        }
        long fileSize = channel.size();
        long size = SegmentedAead.plaintextSize(fileSize);
        if (offset > size) {
            throw new IllegalArgumentException("offset " + offset + " is past the end of the blob (" + size
                    + " bytes)");
        }
        long effective = length == -1 ? size - offset : Math.min(length, size - offset);
        DecryptingStream stream = new DecryptingStream(channel, aead.open(h), fileSize, offset, effective);
        return new BlobReader() {
            @Override
            public long length() { return effective; }

            @Override
            public InputStream stream() { return stream; }

            @Override
            public void close() throws IOException { channel.close(); }
        };
    }

    /** A reader of a plain file's {@code length} bytes from the channel's position. */
    static BlobReader plainReader(FileChannel channel, long length) {
        return new FileBlobReader(channel, length);
    }

    /** A reader over a positioned channel; {@link #stream()} and {@link #fileChannel()} share the position. */
    private static final class FileBlobReader implements BlobReader {
        private final FileChannel channel;
        private final long length;

        FileBlobReader(FileChannel channel, long length) {
            this.channel = channel;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public InputStream stream() {
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        }

        @Override
        public Optional<FileChannel> fileChannel() {
            return Optional.of(channel);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
