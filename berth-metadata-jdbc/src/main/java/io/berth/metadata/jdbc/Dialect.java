package io.berth.metadata.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The few places SQLite and PostgreSQL differ. Upserts need no entry: SQLite (3.24+) accepts PostgreSQL's
 * {@code INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE SET col = excluded.col} verbatim, and both have
 * {@code RETURNING}.
 */
enum Dialect {
    /**
     * SQLite has no row locks: it serialises writers ({@code BEGIN IMMEDIATE} under a JVM lock), so a writer already
     * excludes every other writer and {@code FOR SHARE}/{@code FOR UPDATE} are unnecessary (and a syntax error).
     * Transactions are begun with explicit statements because only the statement says DEFERRED or IMMEDIATE; the
     * driver's own {@code setAutoCommit(false)} would begin every transaction the same way.
     */
    SQLITE("classpath:db/sqlite", "", "", "") {
        @Override
        void begin(Connection c, boolean write) throws SQLException {
            exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
        }

        @Override
        void commit(Connection c) throws SQLException {
            exec(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            exec(c, "ROLLBACK");
        }

        /** Per connection and only outside a transaction; WAL then syncs at checkpoints, not at each commit. */
        @Override
        void beforeUnsyncedWrite(Connection c) throws SQLException {
            exec(c, "PRAGMA synchronous=NORMAL");
        }

        @Override
        void afterUnsyncedWrite(Connection c) throws SQLException {
            exec(c, "PRAGMA synchronous=FULL");
        }

        @Override
        void inUnsyncedWrite(Connection c) {
            // set before BEGIN, see beforeUnsyncedWrite
        }
    },

    /** Pooled connections have autocommit off, so the first statement begins the transaction. */
    POSTGRES("classpath:db/postgres", " FOR SHARE", " FOR UPDATE", " FOR UPDATE SKIP LOCKED") {
        @Override
        void begin(Connection c, boolean write) {
            // Implicit: the pool hands out connections with autocommit off.
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        void beforeUnsyncedWrite(Connection c) {
            // set inside the transaction, see inUnsyncedWrite
        }

        @Override
        void afterUnsyncedWrite(Connection c) {
            // SET LOCAL ends with the transaction
        }

        /** The commit returns before the WAL reaches disk; the server itself stays consistent either way. */
        @Override
        void inUnsyncedWrite(Connection c) throws SQLException {
            exec(c, "SET LOCAL synchronous_commit TO OFF");
        }
    };

    private final String migrations;
    private final String forShare;
    private final String forUpdate;
    private final String forUpdateSkipLocked;

    Dialect(String migrations, String forShare, String forUpdate, String forUpdateSkipLocked) {
        this.migrations = migrations;
        this.forShare = forShare;
        this.forUpdate = forUpdate;
        this.forUpdateSkipLocked = forUpdateSkipLocked;
    }

    /** Flyway location of this database's migrations. */
    String migrations() { return migrations; }

    /** Suffix for a SELECT that must hold a shared row lock until commit. */
    String forShare() { return forShare; }

    /** Suffix for a SELECT that must hold an exclusive row lock until commit. */
    String forUpdate() { return forUpdate; }

    /**
     * Suffix for a SELECT that locks the rows it returns and passes over rows another transaction has locked, so
     * concurrent claimers each get different rows instead of queueing behind one another (job leasing).
     */
    String forUpdateSkipLocked() { return forUpdateSkipLocked; }

    abstract void begin(Connection c, boolean write) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    /** Before {@link #begin} of a write whose commit need not wait for the disk. */
    abstract void beforeUnsyncedWrite(Connection c) throws SQLException;

    /** After that write ended (committed or rolled back), restoring durable commits on the connection. */
    abstract void afterUnsyncedWrite(Connection c) throws SQLException;

    /** Right after {@link #begin} of such a write. */
    abstract void inUnsyncedWrite(Connection c) throws SQLException;

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
