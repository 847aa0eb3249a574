package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataException;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RepositorySettings;
import io.berth.core.spi.meta.RepositoryStore;
import io.berth.core.model.TagMutability;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcRepositoryStore implements RepositoryStore {

    static final String COLUMNS = "id, registry_id, name, created_at, tag_mutability, mutability_filters, "
            + "scan_on_push, encryption_type, kms_key";

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
    public Optional<RepositoryRecord> create(RegistryId registryId, RepositoryName name, RepositorySettings settings,
                                             Instant now) {
        // The unique key decides a race: the loser's insert waits for the winner's commit, then inserts nothing.
        return sql.one("INSERT INTO repositories (registry_id, name, created_at, tag_mutability, mutability_filters, "
                        + "scan_on_push, encryption_type, kms_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (registry_id, name) DO NOTHING RETURNING " + COLUMNS,
                JdbcRepositoryStore::record, registryId, name, now, settings.tagMutability().name(),
                String.join("\n", settings.exclusionFilters()), settings.scanOnPush(), settings.encryptionType(),
                settings.kmsKey());
    }

    @Override
    public boolean updateSettings(long repositoryId, RepositorySettings settings) {
        return sql.update("UPDATE repositories SET tag_mutability = ?, mutability_filters = ?, scan_on_push = ?, "
                        + "encryption_type = ?, kms_key = ? WHERE id = ?", settings.tagMutability().name(),
                String.join("\n", settings.exclusionFilters()), settings.scanOnPush(), settings.encryptionType(),
                settings.kmsKey(), repositoryId) > 0;
    }

    @Override
    public Map<String, String> resourceTags(long repositoryId) {
        Map<String, String> out = new LinkedHashMap<>();
        sql.list("SELECT tag_key, tag_value FROM repository_resource_tags WHERE repo_id = ? ORDER BY tag_key",
                rs -> Map.entry(rs.getString(1), rs.getString(2)), repositoryId)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void putResourceTags(long repositoryId, Map<String, String> tags) {
        sql.batch("INSERT INTO repository_resource_tags (repo_id, tag_key, tag_value) VALUES (?, ?, ?) "
                        + "ON CONFLICT (repo_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
                tags.entrySet().stream().map(e -> new Object[] {repositoryId, e.getKey(), e.getValue()}).toList());
    }

    @Override
    public void removeResourceTags(long repositoryId, Collection<String> keys) {
        sql.batch("DELETE FROM repository_resource_tags WHERE repo_id = ? AND tag_key = ?",
                keys.stream().map(k -> new Object[] {repositoryId, k}).toList());
    }

    @Override
    public List<RepositoryRecord> list(RegistryId registryId, String afterName, int limit) {
        // name > '' holds for every name, so "from the start" needs no second statement.
        return sql.list("SELECT " + COLUMNS + " FROM repositories WHERE registry_id = ? AND name > ? "
                        + "ORDER BY name LIMIT ?",
                JdbcRepositoryStore::record, registryId, afterName == null ? "" : afterName, limit);
    }

    @Override
    public List<RepositoryRecord> listBefore(RegistryId registryId, String beforeName, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM repositories WHERE registry_id = ? AND name < ? "
                + "ORDER BY name DESC LIMIT ?", JdbcRepositoryStore::record, registryId, beforeName, limit);
    }

    @Override
    public List<RepositoryName> listNames(RegistryId registryId, String afterName, int limit) {
        return sql.list("SELECT name FROM repositories WHERE registry_id = ? AND name > ? ORDER BY name LIMIT ?",
                rs -> RepositoryName.stored(rs.getString(1)), registryId, afterName == null ? "" : afterName, limit);
    }

    @Override
    public List<RepositoryName> namesLinking(RegistryId registryId, Digest digest, String afterName, int limit) {
        // repository_blobs_digest finds the links; a blob is in few repositories of one account, so the sort is small
        return sql.list("SELECT r.name FROM repository_blobs b JOIN repositories r ON r.id = b.repo_id "
                        + "WHERE b.digest = ? AND r.registry_id = ? AND r.name > ? ORDER BY r.name LIMIT ?",
                rs -> RepositoryName.stored(rs.getString(1)), digest, registryId, afterName == null ? "" : afterName,
                limit);
    }

    @Override
    public boolean delete(long repositoryId) {
        // Tags, manifests and their references, links, uploads and resource tags go with it through ON DELETE CASCADE.
        return sql.update("DELETE FROM repositories WHERE id = ?", repositoryId) > 0;
    }

    static RepositoryRecord record(ResultSet rs) throws SQLException {
        String filters = rs.getString("mutability_filters");
        RepositorySettings settings = new RepositorySettings(TagMutability.valueOf(rs.getString("tag_mutability")),
                filters.isEmpty() ? List.of() : List.of(filters.split("\n")), rs.getBoolean("scan_on_push"),
                rs.getString("encryption_type"), rs.getString("kms_key"));
        return new RepositoryRecord(rs.getLong("id"), RegistryId.ofKey(rs.getString("registry_id")),
                RepositoryName.stored(rs.getString("name")), Sql.instant(rs, "created_at"), settings);
    }
}
