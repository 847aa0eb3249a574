package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.node.NodeHeartbeat;
import io.berth.core.node.NodeRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code nodes} table behind {@code berth admin nodes}, on each backend. */
abstract class AbstractNodeDirectoryTest {
    @TempDir
    Path dir;
    MetadataStore store;
    JdbcNodeDirectory nodes;

    protected abstract MetadataStore newStore(Path dir);

    @BeforeEach
    void open() {
        store = newStore(dir);
        nodes = new JdbcNodeDirectory(PostgresTestSchema.jdbc(store));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aBeatRefreshesTheRow_andAnotherNodesRowIsSeparate() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        nodes.beat(new NodeRecord("a-1", "1.0", "http://10.0.0.1:5000", t0, t0));
        nodes.beat(new NodeRecord("b-2", "1.0", "http://10.0.0.2:5000", t0.plusSeconds(1), t0.plusSeconds(1)));
        nodes.beat(new NodeRecord("a-1", "1.0", "http://10.0.0.1:5000", t0, t0.plusSeconds(9)));

        List<NodeRecord> listed = nodes.list();
        assertThat(listed).extracting(NodeRecord::nodeId).containsExactly("a-1", "b-2");
        assertThat(listed.get(0).lastSeenAt()).isEqualTo(t0.plusSeconds(9));
        assertThat(listed.get(0).startedAt()).isEqualTo(t0);
        Instant now = t0.plusSeconds(15);
        // b last beat 14 s ago: past DEAD_AFTER, so dead; a 6 s ago: live
        assertThat(listed.get(0).liveAt(now, NodeHeartbeat.DEAD_AFTER)).isTrue();
        assertThat(listed.get(1).liveAt(now, NodeHeartbeat.DEAD_AFTER)).isFalse();
    }

    @Test
    void pruneForgetsLongDeadNodes_andLeaveRemovesOne() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        nodes.beat(new NodeRecord("old", "1.0", "http://h:1", t0, t0));
        nodes.beat(new NodeRecord("new", "1.0", "http://h:2", t0, t0.plusSeconds(3600)));
        assertThat(nodes.prune(t0.plusSeconds(1))).isEqualTo(1);
        assertThat(nodes.list()).extracting(NodeRecord::nodeId).containsExactly("new");
        nodes.leave("new");
        assertThat(nodes.list()).isEmpty();
    }

    @Test
    void heartbeat_listsItselfAtStart_andRemovesItsRowOnClose() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        NodeHeartbeat beat = new NodeHeartbeat(nodes, clock, "self-1", "9.9", "http://127.0.0.1:5000");
        beat.start();
        try {
            assertThat(nodes.list()).singleElement().satisfies(n -> {
                assertThat(n.nodeId()).isEqualTo("self-1");
                assertThat(n.version()).isEqualTo("9.9");
                assertThat(n.address()).isEqualTo("http://127.0.0.1:5000");
            });
        } finally {
            beat.close();
        }
        assertThat(nodes.list()).isEmpty();
    }
}
