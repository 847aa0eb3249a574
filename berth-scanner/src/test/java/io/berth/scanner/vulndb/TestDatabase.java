package io.berth.scanner.vulndb;

import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import io.berth.scanner.vulndb.jdbc.JdbcVulnerabilityStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real metadata database for the scanner's tests: a SQLite file in a temp directory, or a throw-away schema on the
 * test PostgreSQL server (127.0.0.1:5432, database {@code test}, user {@code postgres}, trust authentication;
 * {@code BERTH_PG_URL}, {@code BERTH_PG_USER}, {@code BERTH_PG_PASSWORD} override them, as in berth-metadata-jdbc's
 * tests). Closing it closes the pools and drops the PostgreSQL schema.
 */
public final class TestDatabase implements AutoCloseable {
    static final String URL = env("BERTH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("BERTH_PG_USER", "postgres");
    static final String PASSWORD = System.getenv("BERTH_PG_PASSWORD");

    private final JdbcMetadataStore metadata;
    private final String schema;

    private TestDatabase(JdbcMetadataStore metadata, String schema) {
        this.metadata = metadata;
        this.schema = schema;
    }

    public static TestDatabase sqlite(Path dir) {
        return new TestDatabase(JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db"))), null);
    }

    public static TestDatabase postgres() {
        String schema = "berth_it_" + UUID.randomUUID().toString().replace("-", "");
        exec("CREATE SCHEMA " + schema);
        try {
            String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return new TestDatabase(JdbcMetadataStore.open(JdbcConfig.postgres(url, USER, PASSWORD)), schema);
        } catch (RuntimeException e) {
            exec("DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
    }

    public JdbcMetadataStore metadata() { return metadata; }

    public VulnerabilityStore vulnerabilities() { return new JdbcVulnerabilityStore(metadata); }

    @Override
    public void close() {
        try {
            metadata.close();
        } finally {
            if (schema != null) {
                exec("DROP SCHEMA " + schema + " CASCADE");
            }
        }
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
}
