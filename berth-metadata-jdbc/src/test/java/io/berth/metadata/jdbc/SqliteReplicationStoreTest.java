package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractReplicationStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteReplicationStoreTest extends AbstractReplicationStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
