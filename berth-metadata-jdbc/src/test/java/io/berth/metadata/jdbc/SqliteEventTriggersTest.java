package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventTriggersTest extends AbstractEventTriggersTest {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
