package io.berth.metadata.jdbc;

import io.berth.core.envelope.AbstractEnvelopeBlobsTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteEnvelopeBlobsTest extends AbstractEnvelopeBlobsTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
