package io.berth.metadata.jdbc;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.EnvelopeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcEnvelopeStore implements EnvelopeStore {
    private static final String WRAPPING_COLUMNS = "digest, form, key_arn, inner_key, outer_key, created_at";

    private final Sql sql;

    JdbcEnvelopeStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean insert(Sealed s, Wrapping first) {
        int inserted = sql.update("INSERT INTO envelope_blobs (digest, form, sealed_digest, size, created_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest, form) DO NOTHING", s.digest(), s.form(),
                s.sealedDigest(), s.size(), s.createdAt());
        return inserted > 0 && addWrapping(first);
    }

    @Override
    public Optional<Sealed> sealed(Digest digest, String form) {
        return sql.one("SELECT digest, form, sealed_digest, size, created_at FROM envelope_blobs "
                + "WHERE digest = ? AND form = ?", rs -> new Sealed(Sql.digest(rs, "digest"), rs.getString("form"),
                Sql.digest(rs, "sealed_digest"), rs.getLong("size"), Sql.instant(rs, "created_at")), digest, form);
    }

    @Override
    public boolean addWrapping(Wrapping w) {
        return sql.update("INSERT INTO envelope_wrappings (" + WRAPPING_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (digest, form, key_arn) DO NOTHING", w.digest(), w.form(), w.keyArn(),
                w.innerKey(), w.outerKey(), w.createdAt()) > 0;
    }

    @Override
    public Optional<Wrapping> wrapping(Digest digest, String form, String keyArn) {
        return sql.one("SELECT " + WRAPPING_COLUMNS + " FROM envelope_wrappings WHERE digest = ? AND form = ? "
                + "AND key_arn = ?", JdbcEnvelopeStore::wrapping, digest, form, keyArn);
    }

    @Override
    public List<Wrapping> wrappings(Digest digest, String form) {
        return sql.list("SELECT " + WRAPPING_COLUMNS + " FROM envelope_wrappings WHERE digest = ? AND form = ? "
                + "ORDER BY key_arn", JdbcEnvelopeStore::wrapping, digest, form);
    }

    @Override
    public boolean removeWrapping(Digest digest, String form, String keyArn) {
        return sql.update("DELETE FROM envelope_wrappings WHERE digest = ? AND form = ? AND key_arn = ?", digest,
                form, keyArn) > 0;
    }

    @Override
    public boolean heldPlainly(Digest digest) {
        return sql.one("SELECT 1 FROM repository_blobs rb JOIN repositories r ON r.id = rb.repo_id "
                + "WHERE rb.digest = ? AND r.encryption_type NOT IN ('KMS', 'KMS_DSSE') LIMIT 1", rs -> 1, digest)
                .isPresent();
    }

    @Override
    public List<Wrapping> unheld(java.time.Instant lastSeenBefore, Wrapping after, int limit) {
        // a repository with no kms_key uses its account's managed key: it keeps any wrapping of its form (safe side)
        String held = "EXISTS (SELECT 1 FROM repository_blobs rb JOIN repositories r ON r.id = rb.repo_id "
                + "WHERE rb.digest = w.digest AND r.encryption_type = w.form "
                + "AND (r.kms_key IS NULL OR r.kms_key = w.key_arn))";
        String columns = "w.digest, w.form, w.key_arn, w.inner_key, w.outer_key, w.created_at";
        String from = "SELECT " + columns + " FROM envelope_wrappings w JOIN blobs b ON b.digest = w.digest "
                + "WHERE b.last_seen < ? AND NOT " + held;
        String order = " ORDER BY w.digest, w.form, w.key_arn LIMIT ?";
        if (after == null) {
            return sql.list(from + order, JdbcEnvelopeStore::wrapping, lastSeenBefore, limit);
        }
        return sql.list(from + " AND (w.digest > ? OR (w.digest = ? AND (w.form > ? OR (w.form = ? "
                        + "AND w.key_arn > ?))))" + order, JdbcEnvelopeStore::wrapping, lastSeenBefore,
                after.digest(), after.digest(), after.form(), after.form(), after.keyArn(), limit);
    }

    @Override
    public boolean remove(Digest digest, String form) {
        // children first: SQLite enforces the cascade only with foreign_keys on, and this does not rely on it
        sql.update("DELETE FROM envelope_wrappings WHERE digest = ? AND form = ?", digest, form);
        return sql.update("DELETE FROM envelope_blobs WHERE digest = ? AND form = ?", digest, form) > 0;
    }

    @Override
    public boolean createSession(Session s) {
        return sql.update("INSERT INTO envelope_uploads (upload_id, form, key_arn, inner_key, header, segments, tail, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id) DO NOTHING",
                s.uploadId(), s.form(), s.keyArn(), s.innerKey(), s.header(), s.segments(), s.tail(),
                s.createdAt()) > 0;
    }

    @Override
    public Optional<Session> session(String uploadId) {
        return sql.one("SELECT upload_id, form, key_arn, inner_key, header, segments, tail, created_at "
                + "FROM envelope_uploads WHERE upload_id = ?", rs -> new Session(rs.getString("upload_id"),
                rs.getString("form"), rs.getString("key_arn"), rs.getBytes("inner_key"), rs.getBytes("header"),
                rs.getLong("segments"), rs.getBytes("tail"), Sql.instant(rs, "created_at")), uploadId);
    }

    @Override
    public boolean claimSession(String uploadId, String writer, java.time.Instant now, java.time.Instant staleBefore) {
        // one conditional UPDATE: the row lock makes two nodes' claims of one session exclude each other
        return sql.update("UPDATE envelope_uploads SET writer = ?, claimed_at = ? WHERE upload_id = ? "
                + "AND (writer IS NULL OR writer = ? OR claimed_at < ?)", writer, now, uploadId, writer, staleBefore) > 0;
    }

    @Override
    public boolean releaseSession(String uploadId, String writer, long segments, byte[] tail) {
        return sql.update("UPDATE envelope_uploads SET segments = ?, tail = ?, writer = NULL, claimed_at = NULL "
                + "WHERE upload_id = ? AND writer = ?", segments, tail, uploadId, writer) > 0;
    }

    private static Wrapping wrapping(ResultSet rs) throws SQLException {
        return new Wrapping(Sql.digest(rs, "digest"), rs.getString("form"), rs.getString("key_arn"),
                rs.getBytes("inner_key"), rs.getBytes("outer_key"), Sql.instant(rs, "created_at"));
    }
}
