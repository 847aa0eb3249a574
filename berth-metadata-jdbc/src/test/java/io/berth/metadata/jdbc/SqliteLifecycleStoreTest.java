package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractLifecycleStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteLifecycleStoreTest extends AbstractLifecycleStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
