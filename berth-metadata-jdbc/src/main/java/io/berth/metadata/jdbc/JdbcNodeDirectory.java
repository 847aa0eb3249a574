package io.berth.metadata.jdbc;

import io.berth.core.node.NodeDirectory;
import io.berth.core.node.NodeRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code nodes} table (V60). Heartbeats are written unsynced: a beat lost to a crash is rewritten seconds later,
 * and on SQLite a synced commit every few seconds would cost an fsync for nothing.
 */
public final class JdbcNodeDirectory implements NodeDirectory {
    private final JdbcMetadataStore db;

    public JdbcNodeDirectory(JdbcMetadataStore db) {
        this.db = db;
    }

    @Override
    public void beat(NodeRecord node) {
        db.writeJdbc(c -> {
            // the same upsert in both dialects (SQLite 3.24+ speaks ON CONFLICT ... DO UPDATE)
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (node_id, version, address, "
                    + "started_at, last_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET "
                    + "version = excluded.version, address = excluded.address, last_seen_at = excluded.last_seen_at")) {
                ps.setString(1, node.nodeId());
                ps.setString(2, node.version());
                ps.setString(3, node.address());
                ps.setLong(4, node.startedAt().toEpochMilli());
                ps.setLong(5, node.lastSeenAt().toEpochMilli());
                return ps.executeUpdate();
            }
        }, false);
    }

    @Override
    public void leave(String nodeId) {
        db.writeJdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE node_id = ?")) {
                ps.setString(1, nodeId);
                return ps.executeUpdate();
            }
        }, true);
    }

    @Override
    public int prune(Instant cutoff) {
        return db.writeJdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE last_seen_at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        }, false);
    }

    @Override
    public List<NodeRecord> list() {
        return db.readJdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT node_id, version, address, started_at, "
                    + "last_seen_at FROM nodes ORDER BY started_at, node_id");
                 ResultSet rs = ps.executeQuery()) {
                List<NodeRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new NodeRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))));
                }
                return out;
            }
        });
    }
}
