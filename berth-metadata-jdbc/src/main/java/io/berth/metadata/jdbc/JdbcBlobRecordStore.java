package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.BlobRecord;
import io.berth.core.spi.meta.BlobRecordStore;
import io.berth.core.spi.meta.MetadataException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Blob records, repository links and GC's half of the locking protocol in {@link BlobRecordStore}. The protocol's
 * correctness on PostgreSQL rests on READ COMMITTED (the pool's isolation): a statement that waited for a row lock
 * re-reads the row as committed, and each new statement sees everything committed before it started. On SQLite
 * writers are serialised, so every check below simply sees the one current state.
 */
final class JdbcBlobRecordStore implements BlobRecordStore {

    private final Sql sql;

    JdbcBlobRecordStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<BlobRecord> get(Digest digest) {
        return sql.one("SELECT digest, size, last_seen FROM blobs WHERE digest = ? AND NOT deleting",
                JdbcBlobRecordStore::record, digest);
    }

    @Override
    public TouchResult touch(Digest digest, long size, Instant now) {
        // Refresh first: the common case for a re-upload or mount. "AND NOT deleting" is re-evaluated after waiting
        // for GC's row lock, so a record GC just marked is not refreshed.
        if (refresh(digest, now)) {
            return TouchResult.REFRESHED;
        }
        if (sql.update("INSERT INTO blobs (digest, size, last_seen, deleting) VALUES (?, ?, ?, FALSE) "
                + "ON CONFLICT (digest) DO NOTHING", digest, size, now) == 1) {
            return TouchResult.CREATED;
        }
        // The row exists: either GC is deleting it, or a concurrent uploader created it after our refresh.
        boolean deleting = sql.one("SELECT deleting FROM blobs WHERE digest = ?", rs -> rs.getBoolean(1), digest)
                .orElseThrow(() -> new MetadataException("blob record " + digest + " vanished during touch", null));
        if (deleting) {
            return TouchResult.BEING_DELETED;
        }
        if (refresh(digest, now)) {
            return TouchResult.REFRESHED;
        }
        return TouchResult.BEING_DELETED; // marked between our two statements
    }

    private boolean refresh(Digest digest, Instant now) {
        return sql.update("UPDATE blobs SET last_seen = ? WHERE digest = ? AND NOT deleting", now, digest) == 1;
    }

    @Override
    public Set<Digest> lockLive(Collection<Digest> digests) {
        // FOR SHARE conflicts with markDeleting's FOR UPDATE: once we hold it, GC waits for our commit and then sees
        // our references; if GC marked first, the re-checked "NOT deleting" drops the row from our result.
        return sql.digestsIn("SELECT digest FROM blobs WHERE digest IN (%s) AND NOT deleting ORDER BY digest"
                + sql.dialect.forShare(), digests);
    }

    @Override
    public void link(long repositoryId, Digest digest, Instant now) {
        int inserted = sql.update("INSERT INTO repository_blobs (repo_id, digest, linked_at) "
                        + "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM blobs WHERE digest = ? AND NOT deleting) "
                        + "ON CONFLICT (repo_id, digest) DO NOTHING",
                repositoryId, digest, now, digest);
        if (inserted == 0 && !isLinked(repositoryId, digest)) {
            throw new io.berth.core.spi.meta.BlobRecordGoneException("cannot link " + digest + " to repository "
                    + repositoryId + ": no live blob record");
        }
    }

    @Override
    public boolean isLinked(long repositoryId, Digest digest) {
        return sql.one("SELECT 1 FROM repository_blobs WHERE repo_id = ? AND digest = ?", rs -> Boolean.TRUE,
                repositoryId, digest).isPresent();
    }

    @Override
    public Set<Digest> linked(long repositoryId, Collection<Digest> digests) {
        return sql.digestsIn("SELECT digest FROM repository_blobs WHERE repo_id = ? AND digest IN (%s)", digests,
                repositoryId);
    }

    @Override
    public boolean unlink(long repositoryId, Digest digest) {
        return sql.update("DELETE FROM repository_blobs WHERE repo_id = ? AND digest = ?", repositoryId, digest) > 0;
    }

    @Override
    public List<BlobRecord> unreferencedBefore(Instant cutoff, Digest after, int limit) {
        return sql.list("SELECT digest, size, last_seen FROM blobs b WHERE NOT deleting AND last_seen < ? "
                        + "AND digest > ? AND NOT EXISTS (SELECT 1 FROM manifest_blobs mb "
                        + "WHERE mb.blob_digest = b.digest) ORDER BY digest LIMIT ?",
                JdbcBlobRecordStore::record, cutoff, after == null ? "" : after.toString(), limit);
    }

    @Override
    public boolean markDeleting(Digest digest, Instant cutoff) {
        // 1. Exclusive row lock first: waits for every manifest push holding FOR SHARE (lockLive) to commit.
        boolean candidate = sql.one("SELECT digest FROM blobs WHERE digest = ? AND NOT deleting AND last_seen < ?"
                + sql.dialect.forUpdate(), rs -> Boolean.TRUE, digest, cutoff).isPresent();
        if (!candidate) {
            return false;
        }
        // 2. Only now, in a new statement (a fresh READ COMMITTED snapshot), look for references: this sees every
        //    push that locked the record before us. Pushes after us are blocked or see the mark.
        boolean referenced = sql.one("SELECT 1 FROM manifest_blobs WHERE blob_digest = ? LIMIT 1",
                rs -> Boolean.TRUE, digest).isPresent();
        if (referenced) {
            return false;
        }
        sql.update("UPDATE blobs SET deleting = TRUE WHERE digest = ?", digest);
        return true;
    }

    @Override
    public List<Digest> beingDeleted(int limit) {
        return sql.list("SELECT digest FROM blobs WHERE deleting ORDER BY digest LIMIT ?",
                rs -> Sql.digest(rs, "digest"), limit);
    }

    @Override
    public void remove(Digest digest) {
        // Links first so the blob row has nothing pointing at it (not relying on the cascade alone).
        sql.update("DELETE FROM repository_blobs WHERE digest = ?", digest);
        sql.update("DELETE FROM blobs WHERE digest = ?", digest);
    }

    private static BlobRecord record(ResultSet rs) throws SQLException {
        return new BlobRecord(Sql.digest(rs, "digest"), rs.getLong("size"), Sql.instant(rs, "last_seen"));
    }
}
