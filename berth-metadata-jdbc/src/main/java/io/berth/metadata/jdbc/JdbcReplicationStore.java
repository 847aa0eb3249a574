package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.ReplicationStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcReplicationStore implements ReplicationStore {
    private final Sql sql;

    JdbcReplicationStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<String> configuration(RegistryId registry) {
        return sql.one("SELECT config FROM replication_configs WHERE registry_id = ?", rs -> rs.getString(1),
                registry);
    }

    @Override
    public void putConfiguration(RegistryId registry, String json, Instant now) {
        sql.update("INSERT INTO replication_configs (registry_id, config, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (registry_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
                registry, json, now);
    }

    @Override
    public void putStatus(RegistryId registry, String repository, Digest digest, Status s) {
        sql.update("INSERT INTO replication_status (registry_id, repository, digest, destination_region, "
                + "destination_registry, status, failure_code, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (registry_id, repository, digest, destination_region, destination_registry) DO UPDATE "
                + "SET status = excluded.status, failure_code = excluded.failure_code, updated_at = excluded.updated_at",
                registry, repository, digest, s.destinationRegion(), s.destinationRegistry(), s.status(),
                s.failureCode(), s.updatedAt());
    }

    @Override
    public List<Status> statuses(RegistryId registry, String repository, Digest digest) {
        return sql.list("SELECT destination_region, destination_registry, status, failure_code, updated_at "
                + "FROM replication_status WHERE registry_id = ? AND repository = ? AND digest = ? "
                + "ORDER BY destination_region, destination_registry", rs -> new Status(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, "updated_at")),
                registry, repository, digest);
    }
}
