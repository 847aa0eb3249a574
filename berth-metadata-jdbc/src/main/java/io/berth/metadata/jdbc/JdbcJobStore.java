package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link JobStore} on the {@code jobs} table (V7). The claim is one statement shape on both databases: PostgreSQL
 * appends {@code FOR UPDATE SKIP LOCKED} ({@link Dialect#forUpdateSkipLocked}), so concurrent claimers on several
 * nodes lock disjoint rows; SQLite's single writer already runs claims one after another.
 */
final class JdbcJobStore implements JobStore {
    private static final String COLUMNS = "id, kind, target, unique_key, state, attempts, max_attempts, next_run_at, "
            + "progress, progress_percent, last_error, lease_owner, lease_expires_at, created_at, updated_at";
    /** Due now: a queued job whose time has come, or a running one whose node stopped renewing its lease. */
    private static final String DUE = "((state = 'QUEUED' AND next_run_at <= ?) "
            + "OR (state = 'RUNNING' AND lease_expires_at <= ?))";
    private static final String HELD = " WHERE id = ? AND state = 'RUNNING' AND lease_owner = ?";

    private final Sql sql;

    JdbcJobStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<JobRecord> enqueue(NewJob job, Instant now) {
        // DO NOTHING without a conflict target covers the partial unique index jobs_active_key on both databases
        return sql.one("INSERT INTO jobs (kind, target, unique_key, state, attempts, max_attempts, next_run_at, "
                + "created_at, updated_at) VALUES (?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING "
                + COLUMNS, JdbcJobStore::job, job.kind(), job.target(), job.uniqueKey(), job.maxAttempts(),
                job.runAt(), now, now);
    }

    @Override
    public Optional<JobRecord> get(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", JdbcJobStore::job, id);
    }

    @Override
    public boolean hasUnfinished(String uniqueKey) {
        return sql.one("SELECT 1 FROM jobs WHERE unique_key = ? AND state IN ('QUEUED', 'RUNNING')",
                rs -> Boolean.TRUE, uniqueKey).isPresent();
    }

    @Override
    public boolean anyDue(Collection<String> kinds, Instant now) {
        if (kinds.isEmpty()) {
            return false;
        }
        Object[] args = args(kinds, now, now);
        return sql.one("SELECT 1 FROM jobs WHERE kind IN (" + marks(kinds) + ") AND " + DUE + " LIMIT 1",
                rs -> Boolean.TRUE, args).isPresent();
    }

    @Override
    public List<JobRecord> claim(Collection<String> kinds, String owner, int limit, Instant now, Instant leaseUntil) {
        if (kinds.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(List.of(args(kinds, now, now)));
        args.add(limit);
        List<JobRecord> due = sql.list("SELECT " + COLUMNS + " FROM jobs WHERE kind IN (" + marks(kinds) + ") AND "
                + DUE + " ORDER BY next_run_at, id LIMIT ?" + sql.dialect.forUpdateSkipLocked(), JdbcJobStore::job,
                args.toArray());
        List<JobRecord> claimed = new ArrayList<>();
        for (JobRecord j : due) {
            if (j.state() == JobState.RUNNING && j.attempts() >= j.maxAttempts()) {
                sql.update("UPDATE jobs SET state = 'FAILED', lease_owner = NULL, lease_expires_at = NULL, "
                        + "last_error = ?, updated_at = ? WHERE id = ?", "the lease of " + j.leaseOwner()
                        + " expired during attempt " + j.attempts() + " of " + j.maxAttempts()
                        + " (its node stopped or died)", now, j.id());
                continue;
            }
            // a new attempt starts without the last one's progress, which described work it may not have finished
            sql.update("UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, lease_owner = ?, "
                    + "lease_expires_at = ?, progress = NULL, progress_percent = NULL, updated_at = ? WHERE id = ?",
                    owner, leaseUntil, now, j.id());
            claimed.add(get(j.id()).orElseThrow());
        }
        return claimed;
    }

    @Override
    public int expireLeasesNotHeldBy(String owner, Instant now) {
        return sql.update("UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE state = 'RUNNING' "
                + "AND lease_owner <> ? AND lease_expires_at > ?", now, now, owner, now);
    }

    @Override
    public boolean renew(long id, String owner, Instant leaseUntil, Instant now) {
        return sql.update("UPDATE jobs SET lease_expires_at = ?, updated_at = ?" + HELD, leaseUntil, now, id,
                owner) == 1;
    }

    @Override
    public boolean progress(long id, String owner, String text, Integer percent, Instant now) {
        // CAST: a typed null for the integer column on PostgreSQL (Sql binds nulls as text)
        return sql.update("UPDATE jobs SET progress = ?, progress_percent = CAST(? AS INTEGER), updated_at = ?"
                + HELD, text, percent, now, id, owner) == 1;
    }

    @Override
    public boolean succeed(long id, String owner, Instant now) {
        return sql.update("UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL, lease_expires_at = NULL, "
                + "last_error = NULL, updated_at = ?" + HELD, now, id, owner) == 1;
    }

    @Override
    public Optional<JobState> fail(long id, String owner, String error, Instant retryAt, Instant now) {
        Optional<JobRecord> held = sql.one("SELECT " + COLUMNS + " FROM jobs" + HELD + sql.dialect.forUpdate(),
                JdbcJobStore::job, id, owner);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        JobState next = held.get().attempts() >= held.get().maxAttempts() ? JobState.FAILED : JobState.QUEUED;
        sql.update("UPDATE jobs SET state = ?, next_run_at = ?, last_error = ?, lease_owner = NULL, "
                + "lease_expires_at = NULL, updated_at = ? WHERE id = ?", next.name(),
                next == JobState.QUEUED ? retryAt : held.get().nextRunAt(), error, now, id);
        return Optional.of(next);
    }

    @Override
    public Change cancel(long id, Instant now) {
        int n = sql.update("UPDATE jobs SET state = 'CANCELLED', lease_owner = NULL, lease_expires_at = NULL, "
                + "updated_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')", now, id);
        return n == 1 ? Change.DONE : get(id).isPresent() ? Change.WRONG_STATE : Change.NOT_FOUND;
    }

    @Override
    public Change retry(long id, Instant now) {
        Optional<JobRecord> job = sql.one("SELECT " + COLUMNS + " FROM jobs WHERE id = ?" + sql.dialect.forUpdate(),
                JdbcJobStore::job, id);
        if (job.isEmpty()) {
            return Change.NOT_FOUND;
        }
        JobState state = job.get().state();
        if (state != JobState.FAILED && state != JobState.CANCELLED) {
            return Change.WRONG_STATE;
        }
        // checked first rather than caught: a unique violation would abort the whole PostgreSQL transaction
        if (job.get().uniqueKey() != null && hasUnfinished(job.get().uniqueKey())) {
            return Change.KEY_IN_USE;
        }
        sql.update("UPDATE jobs SET state = 'QUEUED', attempts = 0, next_run_at = ?, updated_at = ? WHERE id = ?",
                now, now, id);
        return Change.DONE;
    }

    @Override
    public List<JobRecord> list(Query query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.state() != null) {
            where.append(" AND state = ?");
            args.add(query.state().name());
        }
        if (query.kind() != null) {
            where.append(" AND kind = ?");
            args.add(query.kind());
        }
        args.add(query.limit());
        return sql.list("SELECT " + COLUMNS + " FROM jobs" + where + " ORDER BY id DESC LIMIT ?", JdbcJobStore::job,
                args.toArray());
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return sql.update("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN ('SUCCEEDED', "
                + "'FAILED', 'CANCELLED') AND updated_at < ? ORDER BY id LIMIT ?)", cutoff, limit);
    }

    private static String marks(Collection<String> kinds) {
        return String.join(", ", Collections.nCopies(kinds.size(), "?"));
    }

    private static Object[] args(Collection<String> kinds, Object... after) {
        List<Object> args = new ArrayList<>(kinds);
        args.addAll(List.of(after));
        return args.toArray();
    }

    private static JobRecord job(ResultSet rs) throws SQLException {
        int percent = rs.getInt("progress_percent");
        Integer progressPercent = rs.wasNull() ? null : percent;
        return new JobRecord(rs.getLong("id"), rs.getString("kind"), rs.getString("target"),
                rs.getString("unique_key"), JobState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                rs.getInt("max_attempts"), Sql.instant(rs, "next_run_at"), rs.getString("progress"), progressPercent,
                rs.getString("last_error"), rs.getString("lease_owner"), Sql.instantOrNull(rs, "lease_expires_at"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
