package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.TagStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcTagStore implements TagStore {

    private final Sql sql;

    JdbcTagStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<Digest> resolve(long repositoryId, Tag tag) {
        // Hot path: one primary-key lookup.
        return sql.one("SELECT digest FROM tags WHERE repo_id = ? AND name = ?",
                rs -> Sql.digest(rs, "digest"), repositoryId, tag);
    }

    @Override
    public Optional<Digest> put(long repositoryId, Tag tag, Digest digest, Instant now) {
        // Lock the current row (PostgreSQL) so the previous target we report is the one we replace.
        Optional<Digest> previous = sql.one("SELECT digest FROM tags WHERE repo_id = ? AND name = ?"
                + sql.dialect.forUpdate(), rs -> Sql.digest(rs, "digest"), repositoryId, tag);
        sql.update("INSERT INTO tags (repo_id, name, digest, updated_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (repo_id, name) DO UPDATE SET digest = excluded.digest, "
                        + "updated_at = excluded.updated_at",
                repositoryId, tag, digest, now);
        return previous;
    }

    @Override
    public boolean putIfAbsent(long repositoryId, Tag tag, Digest digest, Instant now) {
        // The unique key decides a race: the loser's insert waits for the winner's commit, then inserts nothing.
        return sql.update("INSERT INTO tags (repo_id, name, digest, updated_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (repo_id, name) DO NOTHING", repositoryId, tag, digest, now) == 1;
    }

    @Override
    public boolean delete(long repositoryId, Tag tag) {
        return sql.update("DELETE FROM tags WHERE repo_id = ? AND name = ?", repositoryId, tag) > 0;
    }

    @Override
    public List<Tag> list(long repositoryId, String after, int limit) {
        return sql.list("SELECT name FROM tags WHERE repo_id = ? AND name > ? ORDER BY name LIMIT ?",
                rs -> new Tag(rs.getString("name")), repositoryId, after == null ? "" : after, limit);
    }

    @Override
    public List<Tag> tagsOf(long repositoryId, Digest manifest) {
        return sql.list("SELECT name FROM tags WHERE repo_id = ? AND digest = ? ORDER BY name",
                rs -> new Tag(rs.getString("name")), repositoryId, manifest);
    }

    @Override
    public Map<Tag, Digest> resolveAll(long repositoryId, Collection<Tag> tags) {
        Map<Tag, Digest> out = new HashMap<>();
        sql.listIn("SELECT name, digest FROM tags WHERE repo_id = ? AND name IN (%s)", tags,
                rs -> Map.entry(new Tag(rs.getString("name")), Sql.digest(rs, "digest")), repositoryId)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public Map<Digest, List<Tag>> tagsOf(long repositoryId, Collection<Digest> manifests) {
        Map<Digest, List<Tag>> out = new HashMap<>();
        sql.listIn("SELECT digest, name FROM tags WHERE repo_id = ? AND digest IN (%s) ORDER BY name", manifests,
                rs -> Map.entry(Sql.digest(rs, "digest"), new Tag(rs.getString("name"))), repositoryId)
                .forEach(e -> out.computeIfAbsent(e.getKey(), d -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    @Override
    public Map<Digest, List<Tag>> tagsBetween(long repositoryId, Digest first, Digest last) {
        Map<Digest, List<Tag>> out = new LinkedHashMap<>();
        // a range over tags_digest (repo_id, digest): one statement, whatever the page size
        sql.list("SELECT digest, name FROM tags WHERE repo_id = ? AND digest >= ? AND digest <= ? "
                        + "ORDER BY digest, name",
                rs -> Map.entry(Sql.digest(rs, "digest"), new Tag(rs.getString("name"))), repositoryId, first, last)
                .forEach(e -> out.computeIfAbsent(e.getKey(), d -> new ArrayList<>()).add(e.getValue()));
        return out;
    }
}
