package io.berth.metadata.jdbc;

import io.berth.core.service.CacheCoherence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes' changes, from PostgreSQL: LISTENs on {@code berth_cache} (the V60 triggers notify
 * {@code <schema>:<repository id>} for every committed change to what read caches hold) on a connection of its own,
 * and reports each repository of this schema to the cache's {@link CacheCoherence.Invalidations}.
 *
 * <p>{@link #live()} is the cache's licence to serve, and it lapses by itself: it holds only while the connection
 * answered a round trip within {@link #CONFIRM_WITHIN}. A connection that drops, or silently stops answering (a
 * partition), thus turns caching off within that bound, and after a reconnect everything cached is dropped before
 * serving resumes, since notifications sent while nobody listened are lost.
 */
public final class PostgresChangeFeed implements CacheCoherence, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    static final String CHANNEL = "berth_cache";
    /** How long one wait for notifications lasts; a round trip confirms the connection after each. */
    private static final int WAIT_MILLIS = 200;
    /** The longest another node's change can stay unseen while the feed still counts as live. */
    public static final Duration CONFIRM_WITHIN = Duration.ofMillis(800);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final JdbcConfig config;
    private final Thread thread;
    private volatile CacheCoherence.Invalidations target;
    private volatile boolean closed;
    /** System.nanoTime of the last confirmed round trip, or 0 while not listening. */
    private volatile long confirmedAt;

    private PostgresChangeFeed(JdbcConfig config) {
        this.config = config;
        this.thread = new Thread(this::run, "berth-cache-feed");
        thread.setDaemon(true);
    }

    /** A feed for {@code config}'s database, not yet started: {@link #start} once the cache exists. */
    public static PostgresChangeFeed forDatabase(JdbcConfig config) {
        if (config.type() != JdbcConfig.Type.POSTGRES) {
            throw new IllegalArgumentException("a change feed needs PostgreSQL");
        }
        return new PostgresChangeFeed(config);
    }

    /** Starts listening and reporting to {@code invalidations}. */
    public void start(CacheCoherence.Invalidations invalidations) {
        this.target = invalidations;
        thread.start();
    }

    @Override
    public boolean live() {
        long at = confirmedAt;
        return at != 0 && System.nanoTime() - at < CONFIRM_WITHIN.toNanos();
    }

    private void run() {
        while (!closed) {
            try (Connection c = connect()) {
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("cache feed lost its PostgreSQL connection (read caches off until it is back): {}",
                            e.toString());
                }
            } finally {
                confirmedAt = 0;
            }
            sleep(RETRY);
        }
    }

    private void listen(Connection c) throws SQLException {
        String schema;
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
            try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1) + ":";
            }
        }
        // from here every commit is notified; what was cached before may be stale: drop it, then serve again
        target.everythingChanged();
        confirmedAt = System.nanoTime();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
            long before = System.nanoTime();
            PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
            if (notes != null) {
                for (PGNotification n : notes) {
                    report(schema, n.getParameter());
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1"); // the round trip that keeps live() true; notifications sent before it are in
            }
            // confirmed as of the moment this wait began: anything committed earlier has been delivered by now
            confirmedAt = before;
            for (PGNotification n : nullToEmpty(pg.getNotifications())) {
                report(schema, n.getParameter());
            }
        }
    }

    private void report(String schema, String payload) {
        if (payload == null || !payload.startsWith(schema)) {
            return; // another Berth's schema in the same database
        }
        try {
            target.repositoryChanged(Long.parseLong(payload.substring(schema.length())));
        } catch (NumberFormatException e) {
            target.everythingChanged(); // not ours to parse: be safe
        }
    }

    private static PGNotification[] nullToEmpty(PGNotification[] n) {
        return n == null ? new PGNotification[0] : n;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        // a partition must end a blocked read, not hang it: the confirm bound turns caching off meanwhile anyway
        p.setProperty("socketTimeout", "10");
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "berth-cache-feed");
        Connection c = DriverManager.getConnection(config.location(), p);
        c.setAutoCommit(true); // notifications are delivered between transactions only
        return c;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        confirmedAt = 0;
    }
}
