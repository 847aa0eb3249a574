package io.berth.scanner.vulndb.feeds;

import io.berth.metadata.jdbc.JdbcMetadataStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** What each feed's last fetch was told ({@code vuln_feeds}, V17), in the metadata database. */
public final class FeedStates {
    /** The validators of the last good fetch, and how the last check went. */
    public record FeedState(String url, String etag, String lastModified, String source, Instant checkedAt,
                            Instant changedAt, String lastError) {}

    private final JdbcMetadataStore db;

    public FeedStates(JdbcMetadataStore db) {
        this.db = db;
    }

    public Optional<FeedState> get(String url) {
        return db.readJdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT url, etag, last_modified, source, checked_at, "
                    + "changed_at, last_error FROM vuln_feeds WHERE url = ?")) {
                ps.setString(1, url);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long changed = rs.getLong("changed_at");
                    Instant changedAt = rs.wasNull() ? null : Instant.ofEpochMilli(changed);
                    return Optional.of(new FeedState(rs.getString("url"), rs.getString("etag"),
                            rs.getString("last_modified"), rs.getString("source"),
                            Instant.ofEpochMilli(rs.getLong("checked_at")), changedAt, rs.getString("last_error")));
                }
            }
        });
    }

    public void put(FeedState s) {
        db.writeJdbc(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM vuln_feeds WHERE url = ?")) {
                del.setString(1, s.url());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vuln_feeds (url, etag, last_modified, "
                    + "source, checked_at, changed_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.url());
                ps.setString(2, s.etag());
                ps.setString(3, s.lastModified());
                ps.setString(4, s.source());
                ps.setLong(5, s.checkedAt().toEpochMilli());
                if (s.changedAt() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, s.changedAt().toEpochMilli());
                }
                ps.setString(7, s.lastError());
                ps.executeUpdate();
            }
            return null;
        }, true);
    }
}
