package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractKmsStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteKmsStoreTest extends AbstractKmsStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
