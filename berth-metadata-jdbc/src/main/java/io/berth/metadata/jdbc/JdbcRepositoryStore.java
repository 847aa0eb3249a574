package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RepositoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcRepositoryStore implements RepositoryStore {

    private static final String COLUMNS = "id, registry_id, name, created_at";

    private final Sql sql;

    JdbcRepositoryStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<RepositoryRecord> get(RegistryId registryId, RepositoryName name) {
        return sql.one("SELECT " + COLUMNS + " FROM repositories WHERE registry_id = ? AND name = ?",
                JdbcRepositoryStore::record, registryId, name);
    }

    @Override
    public RepositoryRecord getOrCreate(RegistryId registryId, RepositoryName name, Instant now) {
        // Look first: the repository almost always exists, and a failed insert would still use up an identity value.
        Optional<RepositoryRecord> existing = get(registryId, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        // A racing creator makes this insert wait for its commit and then do nothing; the SELECT below is a new
        // statement, so under READ COMMITTED it sees the winner's row.
        Optional<RepositoryRecord> created = sql.one("INSERT INTO repositories (registry_id, name, created_at) "
                        + "VALUES (?, ?, ?) ON CONFLICT (registry_id, name) DO NOTHING RETURNING " + COLUMNS,
                JdbcRepositoryStore::record, registryId, name, now);
        return created.or(() -> get(registryId, name)).orElseThrow(() -> new MetadataException(
                "repository " + registryId + "/" + name + " neither created nor found", null));
    }

    @Override
    public List<RepositoryRecord> list(RegistryId registryId, String afterName, int limit) {
        // name > '' holds for every name, so "from the start" needs no second statement.
        return sql.list("SELECT " + COLUMNS + " FROM repositories WHERE registry_id = ? AND name > ? "
                        + "ORDER BY name LIMIT ?",
                JdbcRepositoryStore::record, registryId, afterName == null ? "" : afterName, limit);
    }

    @Override
    public boolean delete(long repositoryId) {
        // Tags, manifests and their references, links and uploads go with it through ON DELETE CASCADE.
        return sql.update("DELETE FROM repositories WHERE id = ?", repositoryId) > 0;
    }

    private static RepositoryRecord record(ResultSet rs) throws SQLException {
        return new RepositoryRecord(rs.getLong("id"), new RegistryId(rs.getString("registry_id")),
                new RepositoryName(rs.getString("name")), Sql.instant(rs, "created_at"));
    }
}
