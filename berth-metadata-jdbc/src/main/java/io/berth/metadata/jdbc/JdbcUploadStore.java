package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.UploadRecord;
import io.berth.core.spi.meta.UploadStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcUploadStore implements UploadStore {

    private final Sql sql;

    JdbcUploadStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void create(UploadRecord upload) {
        sql.update("INSERT INTO uploads (upload_id, repo_id, started_at) VALUES (?, ?, ?)",
                upload.uploadId(), upload.repositoryId(), upload.startedAt());
    }

    @Override
    public Optional<UploadRecord> get(String uploadId) {
        return sql.one("SELECT upload_id, repo_id, started_at FROM uploads WHERE upload_id = ?",
                JdbcUploadStore::record, uploadId);
    }

    @Override
    public boolean delete(String uploadId) {
        return sql.update("DELETE FROM uploads WHERE upload_id = ?", uploadId) > 0;
    }

    @Override
    public List<UploadRecord> startedBefore(Instant cutoff, int limit) {
        return sql.list("SELECT upload_id, repo_id, started_at FROM uploads WHERE started_at < ? "
                + "ORDER BY started_at, upload_id LIMIT ?", JdbcUploadStore::record, cutoff, limit);
    }

    private static UploadRecord record(ResultSet rs) throws SQLException {
        return new UploadRecord(rs.getString("upload_id"), rs.getLong("repo_id"), Sql.instant(rs, "started_at"));
    }
}
