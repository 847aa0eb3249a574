package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.LifecyclePreviewRecord;
import io.berth.core.spi.meta.LifecyclePreviewRecord.Status;
import io.berth.core.spi.meta.LifecyclePreviewResult;
import io.berth.core.spi.meta.LifecyclePreviewStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

final class JdbcLifecyclePreviewStore implements LifecyclePreviewStore {
    /** Rows per JDBC batch when storing results (a preview of 100,000 images is 100 batches). */
    private static final int BATCH = 1000;

    private final Sql sql;

    JdbcLifecyclePreviewStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<LifecyclePreviewRecord> get(long repositoryId) {
        return sql.one("SELECT policy_text, status, started_at, finished_at, error, expiring_count, "
                + "transitioning_count FROM lifecycle_previews WHERE repo_id = ?", rs -> new LifecyclePreviewRecord(
                rs.getString("policy_text"), Status.valueOf(rs.getString("status")), Sql.instant(rs, "started_at"),
                Sql.instantOrNull(rs, "finished_at"), rs.getString("error"), rs.getInt("expiring_count"),
                rs.getInt("transitioning_count")), repositoryId);
    }

    @Override
    public boolean start(long repositoryId, String policyText, Instant now) {
        // the upsert's WHERE leaves an IN_PROGRESS row alone, so two racing starts cannot both win
        int changed = sql.update("INSERT INTO lifecycle_previews (repo_id, policy_text, status, started_at, "
                + "expiring_count, transitioning_count) VALUES (?, ?, 'IN_PROGRESS', ?, 0, 0) "
                + "ON CONFLICT (repo_id) DO UPDATE SET policy_text = excluded.policy_text, status = 'IN_PROGRESS', "
                + "started_at = excluded.started_at, finished_at = NULL, error = NULL, expiring_count = 0, "
                + "transitioning_count = 0 WHERE lifecycle_previews.status <> 'IN_PROGRESS'",
                repositoryId, policyText, now);
        if (changed > 0) {
            sql.update("DELETE FROM lifecycle_preview_results WHERE repo_id = ?", repositoryId);
        }
        return changed > 0;
    }

    @Override
    public boolean complete(long repositoryId, List<LifecyclePreviewResult> results, Instant now) {
        long expiring = results.stream().filter(r -> r.action().equals("EXPIRE")).count();
        int changed = sql.update("UPDATE lifecycle_previews SET status = 'COMPLETE', finished_at = ?, "
                        + "expiring_count = ?, transitioning_count = ? WHERE repo_id = ? AND status = 'IN_PROGRESS'",
                now, (int) expiring, results.size() - (int) expiring, repositoryId);
        if (changed == 0) {
            return false;
        }
        for (int from = 0; from < results.size(); from += BATCH) {
            List<Object[]> rows = new ArrayList<>();
            for (LifecyclePreviewResult r : results.subList(from, Math.min(results.size(), from + BATCH))) {
                rows.add(new Object[] {repositoryId, r.position(), r.digest(), String.join("\n", r.tags()),
                        r.pushedAt(), r.action(), r.targetStorageClass(), r.rulePriority(), r.storageClass()});
            }
            sql.batch("INSERT INTO lifecycle_preview_results (repo_id, position, digest, tags, pushed_at, action, "
                    + "target_storage_class, rule_priority, storage_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        }
        return true;
    }

    @Override
    public boolean fail(long repositoryId, String error, Instant now) {
        return sql.update("UPDATE lifecycle_previews SET status = 'FAILED', finished_at = ?, error = ? "
                + "WHERE repo_id = ? AND status = 'IN_PROGRESS'", now, error, repositoryId) > 0;
    }

    @Override
    public List<LifecyclePreviewResult> results(long repositoryId, int afterPosition, int limit) {
        return sql.list("SELECT position, digest, tags, pushed_at, action, target_storage_class, rule_priority, "
                        + "storage_class FROM lifecycle_preview_results WHERE repo_id = ? AND position > ? "
                        + "ORDER BY position LIMIT ?", JdbcLifecyclePreviewStore::result,
                repositoryId, afterPosition, limit);
    }

    private static LifecyclePreviewResult result(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        return new LifecyclePreviewResult(rs.getInt("position"), Sql.digest(rs, "digest"),
                tags.isEmpty() ? List.of() : Arrays.asList(tags.split("\n")), Sql.instant(rs, "pushed_at"),
                rs.getString("action"), rs.getString("target_storage_class"), rs.getInt("rule_priority"),
                rs.getString("storage_class"));
    }
}
