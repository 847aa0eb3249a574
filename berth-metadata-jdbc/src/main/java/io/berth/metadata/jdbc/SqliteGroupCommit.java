package io.berth.metadata.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The SQLite writer, with group commit: writers that arrive while another one holds the single writer connection
 * share one transaction and one fsync of the WAL.
 *
 * <p>Each write runs on its caller's thread, under a fair lock, inside a {@code SAVEPOINT} of the batch's open
 * {@code BEGIN IMMEDIATE} transaction, so a write that fails rolls back only its own changes. When it ends, the
 * writer looks at the lock's queue: if another writer waits, it leaves the transaction open for that one and waits
 * for the batch's commit; otherwise it commits (the fsync) and wakes the batch. Nobody's write returns before the
 * COMMIT that holds it has returned, so an acknowledged write is exactly as durable as with one transaction per
 * write. Only a waiter that has already queued can extend a batch, and one that queued always reaches the lock (it
 * waits uninterruptibly), so a batch is never left without somebody to commit it.
 *
 * <p>A writer alone (one client, one connection) commits at once, exactly as before: group commit costs nothing when
 * there is nothing to group. An unsynced write may join a durable batch (it is then synced too, which is more than
 * it asked for); a durable write never joins an unsynced one ({@code PRAGMA synchronous} is per connection and only
 * changes outside a transaction), it commits that batch first and begins its own.
 *
 * <p>What a write's work must not do (as before, only more so): wait inside the transaction for another thread that
 * is itself in or waiting for a write. A writer whose work is done may still be waiting for its batch's commit, so
 * a lock it holds around its write is released only after the writers queued behind it have run.
 */
final class SqliteGroupCommit {

    /** At most this many writes share a transaction: bounds how long the first of them waits for its answer. */
    static final int MAX_BATCH = 32;

    private final HikariDataSource pool;
    private final LongAdder statements;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final LongAdder commits = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private Batch open; // guarded by lock: the batch whose transaction is open on the writer connection

    /** One transaction shared by several writes. */
    private static final class Batch {
        final Connection connection;
        final boolean durable;
        final CompletableFuture<Void> committed = new CompletableFuture<>();
        int members;
        SQLException broken; // a savepoint could not be rolled back: the transaction's state is unknown

        Batch(Connection connection, boolean durable) {
            this.connection = connection;
            this.durable = durable;
        }
    }

    SqliteGroupCommit(HikariDataSource pool, LongAdder statements, String description) {
        this.pool = pool;
        this.statements = statements;
        this.description = description;
    }

    <T> T write(Function<Tx, T> work, boolean durable) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("transactions do not nest: write called from inside a write");
        }
        Batch batch;
        T result = null;
        Throwable failure = null;
        lock.lock(); // uninterruptible on purpose: a queued writer is counted on to commit or pass on the batch
        try {
            batch = joinOrBegin(durable);
            try {
                result = member(batch, work);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (!lock.hasQueuedThreads() || batch.members >= MAX_BATCH || batch.broken != null) {
                commit(batch);
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            // Its own changes are rolled back, but what made it fail may be an earlier member's write, still
            // uncommitted (a DeleteRepository before an upload's INSERT). Waiting for the batch makes what the
            // caller reads next, on another connection, agree with the failure it hears.
            try {
                batch.committed.join();
            } catch (CompletionException ignored) {
                // the batch's own failure is its members' to report; this write already failed
            }
            throw sneaky(failure);
        }
        try {
            batch.committed.join();
        } catch (CompletionException e) {
            throw new MetadataException("commit failed on " + description, e.getCause());
        }
        return result;
    }

    /** Transactions committed since open; with {@link #writes}, how tests see that writes were grouped. */
    long commits() {
        return commits.sum();
    }

    /** Writes that ran (succeeded or failed) since open. */
    long writes() {
        return writes.sum();
    }

    private Batch joinOrBegin(boolean durable) {
        if (open != null && (open.durable || !durable)) {
            return open;
        }
        if (open != null) {
            commit(open);
        }
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            throw new MetadataException("cannot run transaction on " + description, e);
        }
        try {
            if (!durable) {
                // WAL then syncs at checkpoints, not at each commit
                exec(c, "PRAGMA synchronous=NORMAL");
            }
            Dialect.SQLITE.begin(c, true);
        } catch (SQLException e) {
            restoreAndClose(c, durable, e);
            throw new MetadataException("cannot begin a transaction on " + description, e);
        }
        open = new Batch(c, durable);
        return open;
    }

    private <T> T member(Batch batch, Function<Tx, T> work) {
        batch.members++;
        writes.increment();
        Connection c = batch.connection;
        try {
            exec(c, "SAVEPOINT w");
        } catch (SQLException e) {
            batch.broken = e;
            throw new MetadataException("cannot run transaction on " + description, e);
        }
        Sql sql = new Sql(c, Dialect.SQLITE, statements);
        T result;
        try {
            result = work.apply(new JdbcTx(sql));
        } catch (RuntimeException | Error e) {
            sql.finish();
            undo(batch, e);
            throw e;
        }
        sql.finish();
        try {
            exec(c, "RELEASE w");
        } catch (SQLException e) {
            MetadataException failure = new MetadataException("cannot end a write on " + description, e);
            undo(batch, failure);
            throw failure;
        }
        return result;
    }

    /** Rolls back one write's changes; if even that fails, the whole batch is rolled back at its commit. */
    private static void undo(Batch batch, Throwable cause) {
        try {
            exec(batch.connection, "ROLLBACK TO w");
            exec(batch.connection, "RELEASE w");
        } catch (SQLException e) {
            cause.addSuppressed(e);
            batch.broken = e;
        }
    }

    /** Ends {@code batch} (the open one) and tells its writers; always hands the connection back. */
    private void commit(Batch batch) {
        open = null;
        Connection c = batch.connection;
        SQLException failure = batch.broken;
        if (failure == null) {
            try {
                Dialect.SQLITE.commit(c);
                commits.increment();
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (failure != null) {
            try {
                Dialect.SQLITE.rollback(c);
            } catch (SQLException e) {
                failure.addSuppressed(e);
                pool.evictConnection(c);
            }
        }
        restoreAndClose(c, batch.durable, failure);
        if (failure == null) {
            batch.committed.complete(null);
        } else {
            batch.committed.completeExceptionally(failure);
        }
    }

    /** After an unsynced batch the connection syncs again, or it is discarded: never pooled in the weaker mode. */
    private void restoreAndClose(Connection c, boolean durable, Throwable failure) {
        if (!durable) {
            try {
                exec(c, "PRAGMA synchronous=FULL");
            } catch (SQLException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
                pool.evictConnection(c);
            }
        }
        try {
            c.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }
}
