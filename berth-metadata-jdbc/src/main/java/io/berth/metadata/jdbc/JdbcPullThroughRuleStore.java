package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.PullThroughRuleRecord;
import io.berth.core.spi.meta.PullThroughRuleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcPullThroughRuleStore implements PullThroughRuleStore {
    private static final String COLUMNS = "prefix, upstream_registry_url, upstream_registry, credential_arn, "
            + "custom_role_arn, upstream_repository_prefix, created_at, updated_at";

    private final Sql sql;

    JdbcPullThroughRuleStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<PullThroughRuleRecord> get(RegistryId registryId, String prefix) {
        return sql.one("SELECT " + COLUMNS + " FROM pull_through_rules WHERE registry_id = ? AND prefix = ?",
                JdbcPullThroughRuleStore::record, registryId, prefix);
    }

    @Override
    public boolean create(RegistryId registryId, PullThroughRuleRecord r) {
        return sql.update("INSERT INTO pull_through_rules (registry_id, " + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, prefix) DO NOTHING",
                registryId, r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(), r.credentialArn(),
                r.customRoleArn(), r.upstreamRepositoryPrefix(), r.createdAt(), r.updatedAt()) > 0;
    }

    @Override
    public boolean update(RegistryId registryId, String prefix, String credentialArn, String customRoleArn,
                          Instant now) {
        return sql.update("UPDATE pull_through_rules SET credential_arn = ?, custom_role_arn = ?, updated_at = ? "
                + "WHERE registry_id = ? AND prefix = ?", credentialArn, customRoleArn, now, registryId, prefix) > 0;
    }

    @Override
    public boolean delete(RegistryId registryId, String prefix) {
        return sql.update("DELETE FROM pull_through_rules WHERE registry_id = ? AND prefix = ?", registryId,
                prefix) > 0;
    }

    @Override
    public List<PullThroughRuleRecord> list(RegistryId registryId, String afterPrefix, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM pull_through_rules WHERE registry_id = ? AND prefix > ? "
                + "ORDER BY prefix LIMIT ?", JdbcPullThroughRuleStore::record, registryId,
                afterPrefix == null ? "" : afterPrefix, limit);
    }

    @Override
    public int count(RegistryId registryId) {
        return sql.one("SELECT COUNT(*) FROM pull_through_rules WHERE registry_id = ?", rs -> rs.getInt(1),
                registryId).orElse(0);
    }

    @Override
    public Optional<Instant> tagChecked(RegistryId registryId, String repository, String tag) {
        return sql.one("SELECT checked_at FROM pull_through_tag_checks WHERE registry_id = ? AND repository = ? "
                + "AND tag = ?", rs -> Sql.instant(rs, "checked_at"), registryId, repository, tag);
    }

    @Override
    public void markTagChecked(RegistryId registryId, String repository, String tag, Instant at) {
        sql.update("INSERT INTO pull_through_tag_checks (registry_id, repository, tag, checked_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (registry_id, repository, tag) DO UPDATE SET checked_at = excluded.checked_at",
                registryId, repository, tag, at);
    }

    private static PullThroughRuleRecord record(ResultSet rs) throws SQLException {
        return new PullThroughRuleRecord(rs.getString("prefix"), rs.getString("upstream_registry_url"),
                rs.getString("upstream_registry"), rs.getString("credential_arn"), rs.getString("custom_role_arn"),
                rs.getString("upstream_repository_prefix"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
