package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.MetadataStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Function;

/**
 * A throw-away schema on the test PostgreSQL server, so parallel runs (other worktrees, CI) never see each other's
 * rows. The server defaults to 127.0.0.1:5432, database {@code test}, user {@code postgres} with trust
 * authentication; {@code BERTH_PG_URL}, {@code BERTH_PG_USER} and {@code BERTH_PG_PASSWORD} override them.
 */
final class PostgresTestSchema {

    static final String URL = env("BERTH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("BERTH_PG_USER", "postgres");
    static final String PASSWORD = System.getenv("BERTH_PG_PASSWORD");

    private PostgresTestSchema() {}

    /** Creates a fresh schema and opens a store on it; closing the store drops the schema. */
    static MetadataStore openStore() {
        String schema = "berth_it_" + UUID.randomUUID().toString().replace("-", "");
        exec("CREATE SCHEMA " + schema);
        try {
            String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return new SchemaDroppingStore(JdbcMetadataStore.open(JdbcConfig.postgres(url, USER, PASSWORD)), schema);
        } catch (RuntimeException e) {
            exec("DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
    }

    /** Another store (another node) over the schema of {@code first}, from {@link #openStore}; closing it keeps it. */
    static MetadataStore sameSchema(MetadataStore first) {
        return JdbcMetadataStore.open(configOf(first));
    }

    /** Where the schema of {@code first}, from {@link #openStore}, is: what another node's connections would use. */
    static JdbcConfig configOf(MetadataStore first) {
        String schema = ((SchemaDroppingStore) first).schema();
        return JdbcConfig.postgres(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }

    /** The JDBC store behind {@code store} (from {@link #openStore} or any other), for its diagnostics. */
    static JdbcMetadataStore jdbc(MetadataStore store) {
        return store instanceof SchemaDroppingStore s ? (JdbcMetadataStore) s.delegate() : (JdbcMetadataStore) store;
    }

    private static void exec(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + URL + " as " + USER + ": " + sql, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Delegates everything; {@link #close} also drops the test schema. */
    private record SchemaDroppingStore(MetadataStore delegate, String schema) implements MetadataStore {
        @Override public <T> T read(Function<Tx, T> work) { return delegate.read(work); }
        @Override public <T> T write(Function<Tx, T> work) { return delegate.write(work); }
        @Override public String describe() { return delegate.describe(); }
        @Override public void checkHealth() { delegate.checkHealth(); }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                exec("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
