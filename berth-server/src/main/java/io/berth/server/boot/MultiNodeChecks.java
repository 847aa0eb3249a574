package io.berth.server.boot;

import io.berth.core.node.NodeDirectory;
import io.berth.core.node.NodeHeartbeat;
import io.berth.core.node.NodeRecord;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.MetadataConfig;
import io.berth.server.config.StorageConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What several nodes over one PostgreSQL need and a single node does not, said at start: every node must reach the
 * same blobs (S3, or a data directory they all mount) and hold the same master key (tokens, cursors and download
 * URLs are sealed under it). Berth cannot see whether a filesystem is shared, so it warns rather than refuses; when
 * another node is already live on the database the warning says so.
 */
final class MultiNodeChecks {
    private static final Logger LOG = LoggerFactory.getLogger(MultiNodeChecks.class);

    private final BerthConfig config;
    private final NodeDirectory nodes;
    private final Clock clock;

    MultiNodeChecks(BerthConfig config, NodeDirectory nodes, Clock clock) {
        this.config = config;
        this.nodes = nodes;
        this.clock = clock;
    }

    /** Logs one warning per requirement this configuration does not meet; nothing on SQLite (one node). */
    void warnAtStart(String self) {
        if (config.metadata().type() != MetadataConfig.MetadataType.POSTGRES) {
            return;
        }
        Instant now = clock.instant();
        List<String> others = nodes.list().stream()
                .filter(n -> !n.nodeId().equals(self) && n.liveAt(now, NodeHeartbeat.DEAD_AFTER))
                .map(NodeRecord::nodeId).toList();
        String company = others.isEmpty() ? "" : " (live on this database now: " + String.join(", ", others) + ")";
        if (config.storage().type() == StorageConfig.StorageType.FILESYSTEM) {
            LOG.warn("{}: PostgreSQL with filesystem blobs in {}: several nodes over this database lose layers "
                    + "unless they all mount that one directory; use storage.type s3 for several nodes{}",
                    others.isEmpty() ? "note" : "MISCONFIGURED", config.storage().data(), company);
        }
        if (config.auth().masterKey().isEmpty()) {
            LOG.warn("{}: no auth.master-key (BERTH_MASTER_KEY): this node uses {}/master.key, and another node's "
                    + "tokens, page cursors and download URLs do not open here; set the same master key on every "
                    + "node{}", others.isEmpty() ? "note" : "MISCONFIGURED", config.storage().data(), company);
        }
    }
}
