package io.berth.core.blob.fs;

import io.berth.core.spi.blob.AbstractBlobStoreContractTest;
import io.berth.core.spi.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Path;

class FileSystemBlobStoreTest extends AbstractBlobStoreContractTest {
    @Override
    protected BlobStore newStore(Path dir) throws IOException { return new FileSystemBlobStore(dir); }
}
