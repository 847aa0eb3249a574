package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractPolicyStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePolicyStoreTest extends AbstractPolicyStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
