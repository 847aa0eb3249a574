package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.LifecyclePolicyRecord;
import io.berth.core.spi.meta.LifecyclePolicyStore;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcLifecyclePolicyStore implements LifecyclePolicyStore {
    private final Sql sql;

    JdbcLifecyclePolicyStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<LifecyclePolicyRecord> get(long repositoryId) {
        return sql.one("SELECT policy_text, updated_at, last_evaluated_at FROM lifecycle_policies WHERE repo_id = ?",
                rs -> new LifecyclePolicyRecord(rs.getString("policy_text"), Sql.instant(rs, "updated_at"),
                        Sql.instantOrNull(rs, "last_evaluated_at")), repositoryId);
    }

    @Override
    public void put(long repositoryId, String text, Instant now) {
        sql.update("INSERT INTO lifecycle_policies (repo_id, policy_text, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (repo_id) DO UPDATE SET policy_text = excluded.policy_text, "
                + "updated_at = excluded.updated_at", repositoryId, text, now);
    }

    @Override
    public Optional<LifecyclePolicyRecord> delete(long repositoryId) {
        Optional<LifecyclePolicyRecord> existing = get(repositoryId);
        if (existing.isPresent()) {
            sql.update("DELETE FROM lifecycle_policies WHERE repo_id = ?", repositoryId);
        }
        return existing;
    }

    @Override
    public boolean markEvaluated(long repositoryId, Instant at) {
        return sql.update("UPDATE lifecycle_policies SET last_evaluated_at = ? WHERE repo_id = ?", at,
                repositoryId) > 0;
    }

    @Override
    public List<RepositoryRecord> repositoriesWithPolicy(long afterRepositoryId, int limit) {
        return sql.list("SELECT " + JdbcRepositoryStore.COLUMNS.replaceAll("(^|, )", "$1r.") + " FROM repositories r "
                        + "JOIN lifecycle_policies p ON p.repo_id = r.id WHERE r.id > ? ORDER BY r.id LIMIT ?",
                JdbcRepositoryStore::record, afterRepositoryId, limit);
    }
}
