package io.berth.metadata.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the metadata database is.
 *
 * @param type        which database
 * @param location    the database file path for SQLite, the JDBC URL ({@code jdbc:postgresql://...}) for PostgreSQL
 * @param user        PostgreSQL user, or null (SQLite has none)
 * @param password    PostgreSQL password, or null; never printed
 * @param maxPoolSize connections in the pool (for SQLite: reader connections; writes use one more)
 */
public record JdbcConfig(Type type, String location, String user, String password, int maxPoolSize) {

    public enum Type { SQLITE, POSTGRES }

    /** Enough for a registry on a small machine; PostgreSQL's default max_connections is 100. */
    public static final int DEFAULT_POOL_SIZE = 8;

    public JdbcConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(location, "location");
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
        }
        if (type == Type.POSTGRES && !location.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("PostgreSQL location must be a jdbc:postgresql: URL");
        }
    }

    /** The embedded default: one SQLite file (created with its parent directories if missing). */
    public static JdbcConfig sqlite(Path file) {
        return new JdbcConfig(Type.SQLITE, file.toAbsolutePath().normalize().toString(), null, null,
                DEFAULT_POOL_SIZE);
    }

    public static JdbcConfig postgres(String jdbcUrl, String user, String password) {
        return new JdbcConfig(Type.POSTGRES, jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    public JdbcConfig withMaxPoolSize(int size) {
        return new JdbcConfig(type, location, user, password, size);
    }

    /** Without the password, so a config can be logged. */
    @Override
    public String toString() {
        return "JdbcConfig[type=" + type + ", location=" + location + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
