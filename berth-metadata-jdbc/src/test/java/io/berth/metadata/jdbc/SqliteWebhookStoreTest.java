package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AbstractWebhookStoreContractTest;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteWebhookStoreTest extends AbstractWebhookStoreContractTest {
    @Override
    protected MetadataStore newStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
