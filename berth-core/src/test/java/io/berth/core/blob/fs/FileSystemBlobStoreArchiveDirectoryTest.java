package io.berth.core.blob.fs;

import io.berth.core.spi.blob.AbstractBlobStoreContractTest;
import io.berth.core.spi.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Path;

/** The contract with the archive tier in a directory of its own (as {@code storage.archive-directory} sets it). */
class FileSystemBlobStoreArchiveDirectoryTest extends AbstractBlobStoreContractTest {
    @Override
    protected BlobStore newStore(Path dir) throws IOException {
        return new FileSystemBlobStore(dir.resolve("hot"), dir.resolve("cold"));
    }
}
