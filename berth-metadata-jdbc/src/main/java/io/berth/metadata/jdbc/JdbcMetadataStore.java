package io.berth.metadata.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.berth.core.fs.PrivateFiles;
import io.berth.core.spi.meta.AuditStore;
import io.berth.core.spi.meta.BlobRecordStore;
import io.berth.core.spi.meta.CreationTemplateStore;
import io.berth.core.spi.meta.LifecyclePolicyStore;
import io.berth.core.spi.meta.LifecyclePreviewStore;
import io.berth.core.spi.meta.PullExclusionStore;
import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.PolicyStore;
import io.berth.core.spi.meta.ManifestStore;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryStore;
import io.berth.core.spi.meta.ScanStore;
import io.berth.core.spi.meta.TagStore;
import io.berth.core.spi.meta.UploadStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * {@link MetadataStore} over JDBC, one implementation for SQLite and PostgreSQL (differences live in {@link Dialect}).
 *
 * <p>SQLite: one database file in WAL mode. Reads run concurrently on a pool of read-only connections; writes are
 * serialised by a JVM lock around a single writer connection that starts each transaction with
 * {@code BEGIN IMMEDIATE}, so two writers never meet inside SQLite and no write ever fails with SQLITE_BUSY. (Other
 * processes opening the same file would still be waited for through {@code busy_timeout}.) Writers that queue for
 * that lock share one transaction and one fsync ({@link SqliteGroupCommit}).
 *
 * <p>PostgreSQL: one pool, READ COMMITTED, autocommit off; row locks ({@code FOR SHARE}/{@code FOR UPDATE}) and
 * unique keys arbitrate races.
 *
 * <p>Transactions do not nest: calling {@code write} from inside {@code write} on SQLite would wait for itself.
 */
public final class JdbcMetadataStore implements MetadataStore {

    /** The latest migration's version; {@link #checkHealth} refuses a database at any other version. */
    static final String SCHEMA_VERSION = "29";

    /** How long SQLite waits for a lock held by another process (or a checkpoint) before SQLITE_BUSY. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    private final Dialect dialect;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool; // the same pool as readPool on PostgreSQL
    private final SqliteGroupCommit sqliteWriter; // SQLite only: serialises (and groups) writers in this JVM
    private final String description;
    /** Statements prepared since open: how tests prove a read costs a bounded number of queries. */
    private final LongAdder statements = new LongAdder();

    private JdbcMetadataStore(Dialect dialect, HikariDataSource readPool, HikariDataSource writePool,
                              String description) {
        this.dialect = dialect;
        this.readPool = readPool;
        this.writePool = writePool;
        this.description = description;
        this.sqliteWriter = dialect == Dialect.SQLITE ? new SqliteGroupCommit(writePool, statements, description)
                : null;
    }

    /** Opens the connection pools and migrates the schema to the current version if it is behind. */
    public static JdbcMetadataStore open(JdbcConfig config) {
        return switch (config.type()) {
            case SQLITE -> openSqlite(config);
            case POSTGRES -> openPostgres(config);
        };
    }

    private static JdbcMetadataStore openSqlite(JdbcConfig config) {
        Path file = Path.of(config.location()).toAbsolutePath().normalize();
        try {
            if (file.getParent() != null) {
                PrivateFiles.createDirectories(file.getParent());
            }
            // 0600 before SQLite first opens it (an empty file is an empty database); SQLite gives its -wal and
            // -shm files the database file's mode, so they stay private too
            PrivateFiles.createFileIfMissing(file);
        } catch (IOException e) {
            throw new MetadataException("cannot create directory for SQLite database " + file, e);
        }
        String url = "jdbc:sqlite:" + file;
        JdbcMetadataStore store;
        HikariDataSource write = null;
        try {
            write = new HikariDataSource(sqlitePool(url, "berth-sqlite-write", 1, false));
            HikariDataSource read = new HikariDataSource(sqlitePool(url, "berth-sqlite-read",
                    config.maxPoolSize(), true));
            store = new JdbcMetadataStore(Dialect.SQLITE, read, write, "sqlite:" + file);
        } catch (RuntimeException e) {
            if (write != null) {
                write.close();
            }
            throw new MetadataException("cannot open SQLite database " + file, e);
        }
        return store.migrated(url, null, null);
    }

    private static HikariConfig sqlitePool(String url, String name, int size, boolean readOnly) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(size);
        // Autocommit stays on at the driver level: Dialect.SQLITE issues BEGIN / BEGIN IMMEDIATE / COMMIT itself.
        hc.setAutoCommit(true);
        // sqlite-jdbc applies these as PRAGMAs on every new connection.
        hc.addDataSourceProperty("journal_mode", "WAL");
        // FULL, not NORMAL: in WAL mode NORMAL is durable against a process crash (kill -9) because committed frames
        // are in the OS page cache, but a power loss can drop the last commits. A registry has acknowledged those
        // pushes to clients, so every commit fsyncs the WAL.
        hc.addDataSourceProperty("synchronous", "FULL");
        hc.addDataSourceProperty("foreign_keys", "true");
        hc.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
        if (readOnly) {
            // A stray write in a read transaction would bypass the writer lock; make SQLite refuse it instead.
            hc.setConnectionInitSql("PRAGMA query_only = ON");
        }
        return hc;
    }

    private static JdbcMetadataStore openPostgres(JdbcConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("berth-postgres");
        hc.setJdbcUrl(config.location());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setAutoCommit(false);
        // The GC locking protocol in JdbcBlobRecordStore relies on READ COMMITTED's per-statement snapshots.
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        JdbcMetadataStore store;
        try {
            HikariDataSource pool = new HikariDataSource(hc);
            store = new JdbcMetadataStore(Dialect.POSTGRES, pool, pool, describePostgres(config.location()));
        } catch (RuntimeException e) {
            throw new MetadataException("cannot open PostgreSQL pool for " + describePostgres(config.location()), e);
        }
        return store.migrated(config.location(), config.user(), config.password());
    }

    /**
     * Brings the schema to {@link #SCHEMA_VERSION} and returns this store, or closes it and throws. When the schema
     * is already current (every start but the first after an upgrade) one indexed query replaces Flyway entirely:
     * loading and running Flyway costs several hundred milliseconds of the 1.5 s time-to-ready budget. The price is
     * that Flyway's checksum validation of already-applied migrations only runs when there is something to migrate.
     */
    private JdbcMetadataStore migrated(String url, String user, String password) {
        MetadataException probeFailure = null;
        try {
            String version;
            try {
                version = schemaVersion();
            } catch (MetadataException e) {
                // Typically "no such table": a new database. If it was something else, Flyway fails on it next
                // and this failure is attached to that one.
                probeFailure = e;
                version = null;
            }
            if (!SCHEMA_VERSION.equals(version)) {
                migrate(dialect, url, user, password);
                checkHealth();
            }
            return this;
        } catch (RuntimeException e) {
            if (probeFailure != null) {
                e.addSuppressed(probeFailure);
            }
            close();
            throw e;
        }
    }

    private String schemaVersion() {
        return read(tx -> sqlOf(tx).one("SELECT version FROM flyway_schema_history WHERE success "
                + "AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1", rs -> rs.getString(1)).orElse(null));
    }

    /**
     * Runs pending migrations on a connection of its own (not the pools), so it never competes with the single
     * SQLite writer connection, which is idle meanwhile. Only the defaults: anything extra costs startup time.
     */
    private static void migrate(Dialect dialect, String url, String user, String password) {
        try {
            Flyway.configure(JdbcMetadataStore.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations(dialect.migrations())
                    .callbacks(new MigrationProgress(SCHEMA_VERSION))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new MetadataException("schema migration failed for " + dialect + " database", e);
        }
    }

    /** {@code jdbc:postgresql://host:port/db?params} as {@code postgres://host:port/db}: no parameters, no password. */
    static String describePostgres(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int at = rest.indexOf('@'); // user:password@host is not a pgjdbc form, but never print one
        if (rest.startsWith("//") && at >= 0) {
            rest = "//" + rest.substring(at + 1);
        }
        return "postgres:" + rest;
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return inTransaction(readPool, false, work);
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        return write(work, true);
    }

    @Override
    public <T> T writeUnsynced(Function<Tx, T> work) {
        return write(work, false);
    }

    private <T> T write(Function<Tx, T> work, boolean sync) {
        return sqliteWriter != null ? sqliteWriter.write(work, sync) : inTransaction(writePool, true, sync, work);
    }

    private <T> T inTransaction(HikariDataSource pool, boolean write, Function<Tx, T> work) {
        return inTransaction(pool, write, true, work);
    }

    private <T> T inTransaction(HikariDataSource pool, boolean write, boolean sync, Function<Tx, T> work) {
        try (Connection c = pool.getConnection()) {
            if (sync) {
                return inTransaction(c, pool, write, false, work);
            }
            dialect.beforeUnsyncedWrite(c);
            try {
                return inTransaction(c, pool, write, true, work);
            } finally {
                dialect.afterUnsyncedWrite(c);
            }
        } catch (SQLException e) {
            throw new MetadataException("cannot run transaction on " + description, e);
        }
    }

    private <T> T inTransaction(Connection c, HikariDataSource pool, boolean write, boolean unsynced,
                                Function<Tx, T> work) throws SQLException {
        dialect.begin(c, write);
        Sql sql = new Sql(c, dialect, statements);
        T result;
        try {
            if (unsynced) {
                dialect.inUnsyncedWrite(c);
            }
            result = work.apply(new JdbcTx(sql));
        } catch (RuntimeException | Error e) {
            rollback(c, pool, e);
            throw e;
        } catch (SQLException e) {
            rollback(c, pool, e);
            throw e;
        } finally {
            sql.finish();
        }
        try {
            dialect.commit(c);
        } catch (SQLException e) {
            MetadataException failure = new MetadataException(
                    (write ? "commit" : "read transaction end") + " failed on " + description, e);
            rollback(c, pool, failure);
            throw failure;
        }
        return result;
    }

    /** Rolls back after {@code cause}; if even that fails, the connection's state is unknown and it is discarded. */
    private void rollback(Connection c, HikariDataSource pool, Throwable cause) {
        try {
            dialect.rollback(c);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            pool.evictConnection(c);
        }
    }

    /** Work on the raw connection of one of this store's transactions. */
    @FunctionalInterface
    public interface JdbcWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * For the stores of modules built on this one (berth-scanner's vulnerability data, whose tables this module's
     * migrations create): {@code work} runs in a read transaction of this store, on its connection, exactly as a
     * {@link #read} does. The connection must not be committed, rolled back or closed by {@code work}.
     */
    public <T> T readJdbc(JdbcWork<T> work) {
        return read(tx -> applyJdbc(tx, work));
    }

    /**
     * As {@link #readJdbc} in a write transaction (on SQLite: under the one writer lock, with every other writer of
     * this process). {@code durable} false is {@link #writeUnsynced}.
     */
    public <T> T writeJdbc(JdbcWork<T> work, boolean durable) {
        return durable ? write(tx -> applyJdbc(tx, work)) : writeUnsynced(tx -> applyJdbc(tx, work));
    }

    /** Whether this is PostgreSQL (row locks, {@code FOR UPDATE}) rather than SQLite (one writer at a time). */
    public boolean isPostgres() {
        return dialect == Dialect.POSTGRES;
    }

    private static <T> T applyJdbc(Tx tx, JdbcWork<T> work) {
        try {
            return work.apply(sqlOf(tx).connection());
        } catch (SQLException e) {
            throw new MetadataException("statement failed (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
        }
    }

    /**
     * SQLite: write transactions committed since open, and writes run; fewer commits than writes is group commit at
     * work. Both 0 on PostgreSQL, where every write is its own transaction.
     */
    long[] sqliteCommitsAndWrites() {
        return sqliteWriter == null ? new long[] {0, 0} : new long[] {sqliteWriter.commits(), sqliteWriter.writes()};
    }

    /** The statement helper behind a Tx of this store; for backend-specific tests. */
    static Sql sqlOf(Tx tx) {
        return ((JdbcTx) tx).sql;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * How many SQL statements this store has prepared since it was opened (one per query, update or batch). A
     * diagnostic: tests read it around an operation to prove that its cost does not grow with the data.
     */
    public long statementsPrepared() {
        return statements.sum();
    }

    @Override
    public void checkHealth() {
        String version = schemaVersion();
        if (!SCHEMA_VERSION.equals(version)) {
            throw new MetadataException("schema of " + description + " is at version " + version + ", expected "
                    + SCHEMA_VERSION, null);
        }
    }

    @Override
    public void close() {
        readPool.close();
        if (writePool != readPool) {
            writePool.close();
        }
    }
}
