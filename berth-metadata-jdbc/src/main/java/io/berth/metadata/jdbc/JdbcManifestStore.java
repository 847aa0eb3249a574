package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ImageSummary;
import io.berth.core.spi.meta.ManifestRecord;
import io.berth.core.spi.meta.ManifestStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcManifestStore implements ManifestStore {

    private static final String COLUMNS =
            "digest, media_type, artifact_type, subject, content, image_size, pushed_at";
    private static final String READ_COLUMNS = COLUMNS + ", last_pulled_at";
    private static final String TAG_OF_M = "SELECT 1 FROM tags t WHERE t.repo_id = m.repo_id AND t.digest = m.digest";

    private final Sql sql;

    JdbcManifestStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<ManifestRecord> get(long repositoryId, Digest digest) {
        // Hot path: one primary-key lookup.
        return sql.one("SELECT " + READ_COLUMNS + " FROM manifests WHERE repo_id = ? AND digest = ?",
                JdbcManifestStore::record, repositoryId, digest);
    }

    @Override
    public boolean putIfAbsent(long repositoryId, ManifestRecord m, Set<Digest> blobs, Set<Digest> children) {
        int inserted = sql.update("INSERT INTO manifests (repo_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (repo_id, digest) DO NOTHING",
                repositoryId, m.digest(), m.mediaType(), m.artifactType(), m.subject(), m.content(), m.imageSize(),
                m.pushedAt());
        if (inserted == 0) {
            return false; // already there: its references were stored with it
        }
        // The blobs foreign key rejects a digest without a record; the caller's lockLive keeps records from being
        // marked for deletion until this transaction commits.
        sql.batch("INSERT INTO manifest_blobs (repo_id, manifest_digest, blob_digest) VALUES (?, ?, ?)",
                blobs.stream().map(b -> new Object[] {repositoryId, m.digest(), b}).toList());
        sql.batch("INSERT INTO manifest_children (repo_id, parent, child) VALUES (?, ?, ?)",
                children.stream().map(c -> new Object[] {repositoryId, m.digest(), c}).toList());
        return true;
    }

    @Override
    public List<ManifestRecord> getAll(long repositoryId, Collection<Digest> digests) {
        return sql.listIn("SELECT " + READ_COLUMNS + " FROM manifests WHERE repo_id = ? AND digest IN (%s)", digests,
                JdbcManifestStore::record, repositoryId);
    }

    @Override
    public Set<Digest> existing(long repositoryId, Collection<Digest> digests) {
        return sql.digestsIn("SELECT digest FROM manifests WHERE repo_id = ? AND digest IN (%s)", digests,
                repositoryId);
    }

    @Override
    public boolean delete(long repositoryId, Digest digest) {
        // Its tags, blob references and child references go with it through ON DELETE CASCADE. Rows where it is
        // the child of an index stay: the index still lists it, and the service decides (via parentsOf) whether
        // such a delete is allowed.
        return sql.update("DELETE FROM manifests WHERE repo_id = ? AND digest = ?", repositoryId, digest) > 0;
    }

    @Override
    public List<Digest> parentsOf(long repositoryId, Digest child) {
        return sql.list("SELECT parent FROM manifest_children WHERE repo_id = ? AND child = ? ORDER BY parent",
                rs -> Sql.digest(rs, "parent"), repositoryId, child);
    }

    @Override
    public List<ManifestRecord> referrers(long repositoryId, Digest subject, String artifactType) {
        String base = "SELECT " + READ_COLUMNS + " FROM manifests WHERE repo_id = ? AND subject = ?";
        return artifactType == null
                ? sql.list(base + " ORDER BY digest", JdbcManifestStore::record, repositoryId, subject)
                : sql.list(base + " AND artifact_type = ? ORDER BY digest", JdbcManifestStore::record,
                        repositoryId, subject, artifactType);
    }

    @Override
    public boolean referencesBlob(long repositoryId, Digest blob) {
        return sql.one("SELECT 1 FROM manifest_blobs WHERE repo_id = ? AND blob_digest = ? LIMIT 1",
                rs -> Boolean.TRUE, repositoryId, blob).isPresent();
    }

    @Override
    public void recordPull(long repositoryId, Digest digest, java.time.Instant when) {
        sql.update("UPDATE manifests SET last_pulled_at = ? WHERE repo_id = ? AND digest = ?", when, repositoryId,
                digest);
    }

    @Override
    public List<ManifestRecord> list(long repositoryId, Digest afterDigest, int limit) {
        return sql.list("SELECT " + READ_COLUMNS + " FROM manifests WHERE repo_id = ? AND digest > ? "
                        + "ORDER BY digest LIMIT ?", JdbcManifestStore::record,
                repositoryId, afterDigest == null ? "" : afterDigest.toString(), limit);
    }

    @Override
    public List<ImageSummary> summaries(long repositoryId, Digest afterDigest, int limit) {
        record Row(Digest digest, Instant pushedAt, Instant lastPulledAt, Digest subject) {}
        List<Row> rows = sql.list("SELECT digest, pushed_at, last_pulled_at, subject FROM manifests "
                        + "WHERE repo_id = ? AND digest > ? ORDER BY digest LIMIT ?",
                rs -> new Row(Sql.digest(rs, "digest"), Sql.instant(rs, "pushed_at"),
                        Sql.instantOrNull(rs, "last_pulled_at"), Sql.digest(rs, "subject")),
                repositoryId, afterDigest == null ? "" : afterDigest.toString(), limit);
        if (rows.isEmpty()) {
            return List.of();
        }
        // The page's tags and index children by digest range (the (repo_id, digest) and (repo_id, child) indexes),
        // two queries per page rather than two per manifest.
        String first = rows.get(0).digest().toString();
        String last = rows.get(rows.size() - 1).digest().toString();
        Map<String, List<String>> tags = new HashMap<>();
        sql.list("SELECT digest, name FROM tags WHERE repo_id = ? AND digest >= ? AND digest <= ? "
                        + "ORDER BY digest, name", rs -> Map.entry(rs.getString(1), rs.getString(2)),
                repositoryId, first, last)
                .forEach(e -> tags.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Set<String> listed = new HashSet<>(sql.list("SELECT DISTINCT child FROM manifest_children "
                + "WHERE repo_id = ? AND child >= ? AND child <= ?", rs -> rs.getString(1), repositoryId, first, last));
        List<ImageSummary> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String d = r.digest().toString();
            out.add(new ImageSummary(r.digest(), tags.getOrDefault(d, List.of()), r.pushedAt(), r.lastPulledAt(),
                    r.subject(), listed.contains(d)));
        }
        return out;
    }

    @Override
    public boolean setTimes(long repositoryId, Digest digest, Instant pushedAt, Instant lastPulledAt) {
        if (get(repositoryId, digest).isEmpty()) {
            return false;
        }
        if (pushedAt != null) {
            sql.update("UPDATE manifests SET pushed_at = ? WHERE repo_id = ? AND digest = ?", pushedAt, repositoryId,
                    digest);
        }
        if (lastPulledAt != null) {
            sql.update("UPDATE manifests SET last_pulled_at = ? WHERE repo_id = ? AND digest = ?", lastPulledAt,
                    repositoryId, digest);
        }
        return true;
    }

    @Override
    public List<ManifestRecord> list(long repositoryId, Digest afterDigest, int limit, TagFilter filter) {
        // tags_digest (repo_id, digest) answers the EXISTS per row; the primary key gives the order
        String tagged = switch (filter) {
            case ANY -> "";
            case TAGGED -> "AND EXISTS (" + TAG_OF_M + ") ";
            case UNTAGGED -> "AND NOT EXISTS (" + TAG_OF_M + ") ";
        };
        return sql.list("SELECT " + READ_COLUMNS + " FROM manifests m WHERE m.repo_id = ? AND m.digest > ? " + tagged
                        + "ORDER BY m.digest LIMIT ?", JdbcManifestStore::record,
                repositoryId, afterDigest == null ? "" : afterDigest.toString(), limit);
    }

    private static ManifestRecord record(ResultSet rs) throws SQLException {
        return new ManifestRecord(Sql.digest(rs, "digest"), rs.getString("media_type"),
                rs.getString("artifact_type"), Sql.digest(rs, "subject"), rs.getBytes("content"),
                rs.getLong("image_size"), Sql.instant(rs, "pushed_at"), Sql.instantOrNull(rs, "last_pulled_at"));
    }
}
