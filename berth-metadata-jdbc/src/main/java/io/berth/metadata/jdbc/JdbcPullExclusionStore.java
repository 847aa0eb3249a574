package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.PullExclusionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcPullExclusionStore implements PullExclusionStore {
    private final Sql sql;

    JdbcPullExclusionStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean add(RegistryId registryId, String principalArn, Instant now) {
        return sql.update("INSERT INTO pull_time_exclusions (registry_id, principal_arn, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (registry_id, principal_arn) DO NOTHING", registryId, principalArn, now) > 0;
    }

    @Override
    public Optional<Instant> get(RegistryId registryId, String principalArn) {
        return sql.one("SELECT created_at FROM pull_time_exclusions WHERE registry_id = ? AND principal_arn = ?",
                rs -> Sql.instant(rs, "created_at"), registryId, principalArn);
    }

    @Override
    public boolean remove(RegistryId registryId, String principalArn) {
        return sql.update("DELETE FROM pull_time_exclusions WHERE registry_id = ? AND principal_arn = ?", registryId,
                principalArn) > 0;
    }

    @Override
    public List<String> list(RegistryId registryId, String afterArn, int limit) {
        return sql.list("SELECT principal_arn FROM pull_time_exclusions WHERE registry_id = ? AND principal_arn > ? "
                + "ORDER BY principal_arn LIMIT ?", rs -> rs.getString(1), registryId,
                afterArn == null ? "" : afterArn, limit);
    }
}
