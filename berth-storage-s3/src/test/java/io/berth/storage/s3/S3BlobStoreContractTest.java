package io.berth.storage.s3;

import io.berth.core.spi.blob.AbstractBlobStoreContractTest;
import io.berth.core.spi.blob.BlobStore;
import java.nio.file.Path;

/** The blob-store contract, unchanged, on S3 (S3Proxy in this JVM). */
class S3BlobStoreContractTest extends AbstractBlobStoreContractTest {
    @Override
    protected BlobStore newStore(Path dir) { return S3Fixture.store(S3Fixture.prefixFor(dir)); }
}
