package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The runner on SQLite, where one node runs everything (restarts included: a new runner over the same file). */
class SqliteJobRunnerTest extends AbstractJobRunnerTest {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
    }
}
