package io.berth.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.core.node.NodeDirectory;
import io.berth.core.node.NodeRecord;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a node says at start about running beside others: filesystem blobs and a per-node master key. */
class MultiNodeChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private List<String> warnings(Map<String, String> settings, List<NodeRecord> listed) {
        Map<String, String> cli = new HashMap<>(settings);
        cli.put("data", dir.toString());
        BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), cli);
        NodeDirectory nodes = new NodeDirectory() {
            @Override public void beat(NodeRecord node) { }
            @Override public void leave(String nodeId) { }
            @Override public int prune(Instant cutoff) { return 0; }
            @Override public List<NodeRecord> list() { return listed; }
        };
        Logger logger = (Logger) LoggerFactory.getLogger(MultiNodeChecks.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            new MultiNodeChecks(config, nodes, Clock.fixed(NOW, ZoneOffset.UTC)).warnAtStart("self");
        } finally {
            logger.detachAppender(captured);
        }
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static NodeRecord node(String id, Instant lastSeen) {
        return new NodeRecord(id, "1.0", "http://h:5000", NOW.minusSeconds(600), lastSeen);
    }

    private static Map<String, String> postgres(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("metadata.type", "postgres",
                "metadata.url", "jdbc:postgresql://127.0.0.1:5432/test"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void sqlite_saysNothing() {
        assertThat(warnings(Map.of(), List.of(node("other", NOW)))).isEmpty();
    }

    @Test
    void postgresWithFilesystemBlobs_andNoMasterKey_areNamed_andMisconfiguredWhenAnotherNodeIsLive() {
        List<String> alone = warnings(postgres(), List.of(node("self", NOW), node("gone", NOW.minusSeconds(60))));
        assertThat(alone).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("note:"));
        assertThat(alone.get(0)).contains("filesystem blobs").contains("storage.type s3");
        assertThat(alone.get(1)).contains("auth.master-key");

        List<String> beside = warnings(postgres(), List.of(node("self", NOW), node("other-1", NOW.minusSeconds(2))));
        assertThat(beside).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("MISCONFIGURED:")
                .contains("live on this database now: other-1"));
    }

    @Test
    void postgresWithS3AndASharedMasterKey_saysNothing() {
        assertThat(warnings(postgres("storage.type", "s3", "storage.s3.bucket", "b", "auth.master-key", KEY),
                List.of(node("other", NOW)))).isEmpty();
    }
}
