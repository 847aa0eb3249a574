package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code berth admin nodes} beside a single node on SQLite: it answers with that node, live, at its address. */
class AdminNodesIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void listsTheOneRunningNode() {
        String listed = server.admin("nodes");
        assertThat(listed.lines().filter(l -> l.contains(server.app().nodeId()))).singleElement()
                .satisfies(line -> assertThat(line).contains(" live ").contains("http://127.0.0.1:" + server.port()));
    }
}
