package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.EventTriggers;
import io.berth.core.job.JobRunner;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event triggers on PostgreSQL, where several nodes dispatch the same stream at once. */
class PostgresEventTriggersIT extends AbstractEventTriggersTest {
    private final List<MetadataStore> otherNodes = new ArrayList<>();

    @Override
    protected MetadataStore newStore() { return PostgresTestSchema.openStore(); }

    @AfterEach
    void closeOtherNodes() {
        otherNodes.forEach(MetadataStore::close);
    }

    @Test
    void threeNodesDispatchingAtOnce_startEachPushesJobExactlyOnce() throws Exception {
        List<EventTriggers> nodes = new ArrayList<>();
        for (String node : List.of("node-a", "node-b", "node-c")) {
            MetadataStore over = node.equals("node-a") ? store : PostgresTestSchema.sameSchema(store);
            if (over != store) {
                otherNodes.add(over);
            }
            JobRunner runner = runner(over, node, 2, List.of(scanHandler()), List.of());
            nodes.add(dispatcher(over, runner));
        }
        for (int i = 0; i < 60; i++) {
            push("app", i);
        }
        // and some the nodes race for directly, batch against batch
        for (int i = 60; i < 90; i++) {
            push("app", i);
            nodes.get(i % 3).dispatch(SCAN_ON_PUSH);
        }
        await(() -> ran.size() >= 90, Duration.ofSeconds(20), "90 scans");
        Thread.sleep(300);
        assertThat(ran).as("scans run for 90 pushes by 3 dispatching nodes").hasSize(90);
        assertThat(new HashSet<>(ran)).as("distinct images scanned").hasSize(90);
        assertThat(scanJobs()).as("scan jobs in the table").isEqualTo(90);
    }
}
