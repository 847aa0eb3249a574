package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;

class SqliteImageArchiveTest extends AbstractImageArchiveTest {
    @Override
    protected MetadataStore newMetadataStore(Path dir) {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
