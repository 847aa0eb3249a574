package io.berth.core.service;

import io.berth.core.spi.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * An open blob as {@link RegistryService#openBlob} hands it to the HTTP planes: a stream of the requested range, or
 * the local file's channel to send without copying through the heap. Closing releases it.
 */
public interface BlobContent extends AutoCloseable {
    /** Bytes this content will deliver. */
    long length();

    /** The content as a stream; read once. */
    InputStream stream() throws IOException;

    /** The channel of a local file positioned at the range start, when the backend is a local filesystem. */
    default Optional<FileChannel> fileChannel() { return Optional.empty(); }

    @Override
    void close() throws IOException;

    /** The store's reader, seen as content. */
    static BlobContent of(BlobStore.BlobReader reader) {
        return new BlobContent() {
            @Override public long length() { return reader.length(); }

            @Override public InputStream stream() throws IOException { return reader.stream(); }

            @Override public Optional<FileChannel> fileChannel() { return reader.fileChannel(); }

            @Override public void close() throws IOException { reader.close(); }
        };
    }
}
