package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractPolicyStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqlitePolicyStoreTest extends AbstractPolicyStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
