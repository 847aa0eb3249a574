package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractRegionsStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteRegionsStoreTest extends AbstractRegionsStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
