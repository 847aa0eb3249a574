package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ImageStorageRecord;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import io.berth.core.spi.meta.ImageStorageRecord.StorageClass;
import io.berth.core.spi.meta.ImageStorageStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image status and archived blobs. Nullable times are bound through {@code CAST(? AS BIGINT)}: {@link Sql} binds a
 * null as text, which PostgreSQL would not put in a BIGINT column.
 */
final class JdbcImageStorageStore implements ImageStorageStore {
    private static final String COLUMNS = "digest, storage_class, image_status, last_archived_at, last_activated_at";

    private final Sql sql;

    JdbcImageStorageStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<ImageStorageRecord> get(long repositoryId, Digest digest) {
        return sql.one("SELECT " + COLUMNS + " FROM image_storage WHERE repo_id = ? AND digest = ?",
                JdbcImageStorageStore::record, repositoryId, digest);
    }

    @Override
    public Map<Digest, ImageStorageRecord> getAll(long repositoryId, Collection<Digest> digests) {
        Map<Digest, ImageStorageRecord> out = new HashMap<>();
        sql.listIn("SELECT " + COLUMNS + " FROM image_storage WHERE repo_id = ? AND digest IN (%s)", digests,
                JdbcImageStorageStore::record, repositoryId).forEach(r -> out.put(r.digest(), r));
        return out;
    }

    @Override
    public Map<Digest, ImageStorageRecord> between(long repositoryId, Digest first, Digest last) {
        Map<Digest, ImageStorageRecord> out = new HashMap<>();
        sql.list("SELECT " + COLUMNS + " FROM image_storage WHERE repo_id = ? AND digest >= ? AND digest <= ?",
                JdbcImageStorageStore::record, repositoryId, first, last).forEach(r -> out.put(r.digest(), r));
        return out;
    }

    @Override
    public boolean transition(long repositoryId, ImageStatus expected, ImageStorageRecord next) {
        Object[] values = {next.storageClass().name(), next.status().name(), millis(next.lastArchivedAt()),
                millis(next.lastActivatedAt())};
        if (expected == ImageStatus.ACTIVE) {
            // no row is ACTIVE too: insert, or update a row that says ACTIVE; a row in another status stays
            return sql.update("INSERT INTO image_storage (repo_id, " + COLUMNS + ") "
                    + "SELECT ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT) "
                    + "WHERE EXISTS (SELECT 1 FROM manifests WHERE repo_id = ? AND digest = ?) "
                    + "ON CONFLICT (repo_id, digest) DO UPDATE SET storage_class = excluded.storage_class, "
                    + "image_status = excluded.image_status, last_archived_at = excluded.last_archived_at, "
                    + "last_activated_at = excluded.last_activated_at WHERE image_storage.image_status = 'ACTIVE'",
                    repositoryId, next.digest(), values[0], values[1], values[2], values[3], repositoryId,
                    next.digest()) > 0;
        }
        return sql.update("UPDATE image_storage SET storage_class = ?, image_status = ?, "
                + "last_archived_at = CAST(? AS BIGINT), last_activated_at = CAST(? AS BIGINT) "
                + "WHERE repo_id = ? AND digest = ? AND image_status = ?", values[0], values[1], values[2], values[3],
                repositoryId, next.digest(), expected.name()) > 0;
    }

    @Override
    public Set<Digest> archivable(Collection<Digest> blobs) {
        if (blobs.isEmpty()) {
            return Set.of();
        }
        // 1. Exclusive locks (in digest order, as every locker takes them): pushes that reference these blobs wait.
        Set<Digest> locked = sql.digestsIn("SELECT digest FROM blobs WHERE digest IN (%s) ORDER BY digest"
                + sql.dialect.forUpdate(), blobs);
        // 2. A new statement, so on PostgreSQL it sees every push that committed before our locks.
        Set<Digest> needed = sql.digestsIn("SELECT DISTINCT mb.blob_digest FROM manifest_blobs mb "
                + "LEFT JOIN image_storage s ON s.repo_id = mb.repo_id AND s.digest = mb.manifest_digest "
                + "WHERE mb.blob_digest IN (%s) AND (s.image_status IS NULL OR s.image_status <> 'ARCHIVED')",
                locked);
        Set<Digest> out = new HashSet<>(locked);
        out.removeAll(needed);
        return out;
    }

    @Override
    public void lockBlobs(Collection<Digest> blobs) {
        sql.digestsIn("SELECT digest FROM blobs WHERE digest IN (%s) ORDER BY digest" + sql.dialect.forUpdate(),
                blobs);
    }

    @Override
    public Set<Digest> archivedBlobs(Collection<Digest> blobs) {
        return sql.digestsIn("SELECT digest FROM archived_blobs WHERE digest IN (%s)", blobs);
    }

    @Override
    public void markArchived(Collection<Digest> blobs, Instant now) {
        sql.batch("INSERT INTO archived_blobs (digest, archived_at) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
                blobs.stream().sorted().map(b -> new Object[] {b, now}).toList());
    }

    @Override
    public void unmarkArchived(Collection<Digest> blobs) {
        sql.batch("DELETE FROM archived_blobs WHERE digest = ?",
                blobs.stream().sorted().map(b -> new Object[] {b}).toList());
    }

    @Override
    public Set<Digest> blobsOf(long repositoryId, Digest manifest) {
        return new HashSet<>(sql.list("SELECT blob_digest FROM manifest_blobs WHERE repo_id = ? AND manifest_digest = ?",
                rs -> Sql.digest(rs, "blob_digest"), repositoryId, manifest));
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static ImageStorageRecord record(ResultSet rs) throws SQLException {
        return new ImageStorageRecord(Sql.digest(rs, "digest"), StorageClass.valueOf(rs.getString("storage_class")),
                ImageStatus.valueOf(rs.getString("image_status")), Sql.instantOrNull(rs, "last_archived_at"),
                Sql.instantOrNull(rs, "last_activated_at"));
    }
}
