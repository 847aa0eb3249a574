package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.EventStore;
import io.berth.core.spi.meta.RegistryEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code events}, {@code event_head}, {@code event_sequences} and {@code event_subscribers}. Positions come from the
 * one-row head, updated before anything else an append does, so its row lock orders appends by commit on
 * PostgreSQL (SQLite has one writer anyway). The same statements run on both dialects.
 */
final class JdbcEventStore implements EventStore {

    private static final String COLUMNS = "position, sequence, event_type, account, region, repository, digest, "
            + "tags, principal, reason, detail, event_time";

    private final Sql sql;

    JdbcEventStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<RegistryEvent> append(List<RegistryEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // RETURNING (PostgreSQL, SQLite 3.35+) saves a round trip on the one statement every append serializes on
        long position = sql.one("UPDATE event_head SET last_position = last_position + ? WHERE id = 1 "
                + "RETURNING last_position", rs -> rs.getLong(1), (long) events.size()).orElseThrow() - events.size();
        List<RegistryEvent> out = new ArrayList<>(events.size());
        List<Object[]> rows = new ArrayList<>(events.size());
        for (RegistryEvent e : events) {
            position++;
            long sequence = nextSequence(e.account(), e.repository() == null ? "" : e.repository());
            RegistryEvent stored = new RegistryEvent(position, sequence, e.type(), e.account(), e.region(),
                    e.repository(), e.digest(), e.tags(), e.principal(), e.reason(), e.detail(), e.time());
            out.add(stored);
            rows.add(new Object[] {position, sequence, e.type().name(), e.account(), e.region(), e.repository(),
                    e.digest(), e.tags().isEmpty() ? null : String.join(",", e.tags()), e.principal(), e.reason(),
                    e.detail(), e.time()});
        }
        sql.batch("INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        return out;
    }

    /** One statement either way: the first event of a repository inserts its counter, later ones increment it. */
    private long nextSequence(String account, String repositoryKey) {
        return sql.one("INSERT INTO event_sequences (account, repository_key, last_sequence) VALUES (?, ?, 1) "
                + "ON CONFLICT (account, repository_key) DO UPDATE SET "
                + "last_sequence = event_sequences.last_sequence + 1 RETURNING last_sequence", rs -> rs.getLong(1),
                account, repositoryKey).orElseThrow();
    }

    private long head() {
        return sql.one("SELECT last_position FROM event_head WHERE id = 1", rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public boolean subscribe(String subscriber, boolean fromStart) {
        if (sql.one("SELECT 1 FROM event_subscribers WHERE name = ?", rs -> 1, subscriber).isPresent()) {
            return false;
        }
        // a concurrent subscribe of the same name fails on the primary key: creating a subscriber is an admin act
        sql.update("INSERT INTO event_subscribers (name, position, updated_at) VALUES (?, ?, ?)", subscriber,
                fromStart ? 0L : head(), Instant.now());
        return true;
    }

    @Override
    public List<RegistryEvent> read(String subscriber, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        long after = position(subscriber);
        return sql.list("SELECT " + COLUMNS + " FROM events WHERE position > ? ORDER BY position LIMIT ?",
                JdbcEventStore::event, after, max);
    }

    @Override
    public void ack(String subscriber, long position) {
        long current = position(subscriber);
        if (position > head()) {
            throw new SubscriberException("cannot acknowledge position " + position + ": the stream ends at "
                    + head());
        }
        if (position > current) {
            sql.update("UPDATE event_subscribers SET position = ?, updated_at = ? WHERE name = ? AND position < ?",
                    position, Instant.now(), subscriber, position);
        }
    }

    @Override
    public boolean advance(String subscriber, long expected, long to) {
        if (to > head()) {
            throw new SubscriberException("cannot advance to position " + to + ": the stream ends at " + head());
        }
        // a concurrent advance from the same position waits for this row's lock, then finds the position moved
        return sql.update("UPDATE event_subscribers SET position = ?, updated_at = ? WHERE name = ? AND position = ?",
                to, Instant.now(), subscriber, expected) == 1;
    }

    @Override
    public long position(String subscriber) {
        return sql.one("SELECT position FROM event_subscribers WHERE name = ?", rs -> rs.getLong(1), subscriber)
                .orElseThrow(() -> new SubscriberException("no event subscriber named '" + subscriber + "'"));
    }

    @Override
    public boolean unsubscribe(String subscriber) {
        return sql.update("DELETE FROM event_subscribers WHERE name = ?", subscriber) > 0;
    }

    @Override
    public List<RegistryEvent> list(Filter f) {
        StringBuilder where = new StringBuilder(" WHERE position > ?");
        List<Object> args = new ArrayList<>(List.of(f.after()));
        if (f.repository() != null) {
            where.append(" AND repository = ?");
            args.add(f.repository());
        }
        if (f.since() != null) {
            where.append(" AND event_time >= ?");
            args.add(f.since());
        }
        args.add(f.limit());
        return sql.list("SELECT " + COLUMNS + " FROM events" + where + " ORDER BY position LIMIT ?",
                JdbcEventStore::event, args.toArray());
    }

    /**
     * Oldest first, never past the slowest subscriber's position. With no subscriber at all, retention alone
     * decides (nothing is waiting for the events).
     */
    @Override
    public int prune(Instant cutoff, int limit) {
        long acked = sql.one("SELECT MIN(position) FROM event_subscribers", rs -> {
            long min = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : min;
        }).orElse(Long.MAX_VALUE);
        return sql.update("DELETE FROM events WHERE position IN (SELECT position FROM events WHERE event_time < ? "
                + "AND position <= ? ORDER BY position LIMIT ?)", cutoff, acked, limit);
    }

    private static RegistryEvent event(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        return new RegistryEvent(rs.getLong("position"), rs.getLong("sequence"),
                RegistryEvent.Type.valueOf(rs.getString("event_type")), rs.getString("account"),
                rs.getString("region"), rs.getString("repository"), Sql.digest(rs, "digest"),
                tags == null ? List.of() : Arrays.asList(tags.split(",")), rs.getString("principal"),
                rs.getString("reason"), rs.getString("detail"), Sql.instant(rs, "event_time"));
    }
}
