package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract suite cannot see: SQLite settings, start-up, health and descriptions. */
class JdbcMetadataStoreTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void open_sqlite_connectionsUseWalFullSyncAndForeignKeys() {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            for (boolean write : new boolean[] {false, true}) {
                String settings = write ? store.write(JdbcMetadataStoreTest::pragmas)
                        : store.read(JdbcMetadataStoreTest::pragmas);
                // synchronous: 2 = FULL
                assertThat(settings).as(write ? "writer" : "reader").isEqualTo("wal/2/1");
            }
        }
    }

    private static String pragmas(Tx tx) {
        Sql sql = JdbcMetadataStore.sqlOf(tx);
        return sql.one("PRAGMA journal_mode", rs -> rs.getString(1)).orElseThrow() + "/"
                + sql.one("PRAGMA synchronous", rs -> rs.getInt(1)).orElseThrow() + "/"
                + sql.one("PRAGMA foreign_keys", rs -> rs.getInt(1)).orElseThrow();
    }

    @Test
    void read_sqliteWrite_isRefused() {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            assertThatThrownBy(() -> store.read(tx -> tx.blobs().touch(Digest.sha256Of(new byte[0]), 0, T0)))
                    .isInstanceOf(MetadataException.class);
        }
    }

    @Test
    void read_txUsedAfterTransaction_throws() {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            Tx leaked = store.read(tx -> tx);
            assertThatThrownBy(() -> leaked.uploads().get("x")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void open_existingSqliteFile_keepsDataAndCreatesParentDirectories() {
        JdbcConfig config = JdbcConfig.sqlite(dir.resolve("nested/data/berth.db"));
        long id;
        try (JdbcMetadataStore store = JdbcMetadataStore.open(config)) {
            id = store.write(tx -> tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of("kept"), T0))
                    .id();
        }
        try (JdbcMetadataStore store = JdbcMetadataStore.open(config)) {
            store.checkHealth();
            assertThat(store.read((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("kept"))))
                    .hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(id));
        }
    }

    @Test
    void checkHealth_schemaAtOtherVersion_throws() throws Exception {
        Path file = dir.resolve("b.db");
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(file))) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                        + "checksum, installed_by, execution_time, success) "
                        + "VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, 1)");
            }
            assertThatThrownBy(store::checkHealth).isInstanceOf(MetadataException.class)
                    .hasMessageContaining("version 99");
        }
    }

    @Test
    void describe_sqlite_isAbsolutePath() {
        Path file = dir.resolve("b.db");
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(file))) {
            assertThat(store.describe()).isEqualTo("sqlite:" + file.toAbsolutePath());
        }
    }

    @Test
    void describePostgres_urlWithParameters_keepsOnlyHostPortAndDatabase() {
        assertThat(JdbcMetadataStore.describePostgres(
                "jdbc:postgresql://db.local:5433/berth?user=u&password=secret&currentSchema=x"))
                .isEqualTo("postgres://db.local:5433/berth");
        assertThat(JdbcMetadataStore.describePostgres("jdbc:postgresql:berth")).isEqualTo("postgres:berth");
    }

    @Test
    void toString_postgresConfig_hidesPassword() {
        assertThat(JdbcConfig.postgres("jdbc:postgresql://h/db", "u", "secret").toString())
                .doesNotContain("secret").contains("***");
    }

    @Test
    void new_invalidConfig_isRejected() {
        assertThatThrownBy(() -> JdbcConfig.postgres("jdbc:mysql://h/db", "u", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcConfig.sqlite(dir.resolve("b.db")).withMaxPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The catalog and DescribeRepositories read a page by keyset on the (registry_id, name) key: a range search of
     * that index, no scan of the table and no sort, so a page costs the same at 1,000 repositories as at 100,000.
     */
    @Test
    void repositoryPages_searchTheNameIndex_neitherScanNorSort() {
        try (JdbcMetadataStore store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("b.db")))) {
            for (String columns : new String[] {"name", JdbcRepositoryStore.COLUMNS}) {
                java.util.List<String> details = store.read(tx -> JdbcMetadataStore.sqlOf(tx).list(
                        "EXPLAIN QUERY PLAN SELECT " + columns + " FROM repositories WHERE registry_id = ? "
                                + "AND name > ? ORDER BY name LIMIT ?", rs -> rs.getString("detail"),
                        RegistryId.DEFAULT, "catalog/r050000", 1001));
                String plan = String.join("\n", details);
                assertThat(plan).as(columns).contains("SEARCH repositories USING").contains("(registry_id=? AND name>?)")
                        .doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
            }
        }
    }
}
