package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.node.NodeHeartbeat;
import io.berth.core.node.NodeRecord;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code berth admin nodes}: the nodes serving this database, from their heartbeats. A node whose heartbeat is older
 * than {@link NodeHeartbeat#DEAD_AFTER} is marked dead (killed, or its host lost) and stays listed for
 * {@link NodeHeartbeat#FORGET_AFTER}; a node that stopped gracefully removed its row. On SQLite the list is the one
 * server using the file, if it runs.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "List the nodes serving this database (live, and recently dead ones marked so).")
final class NodesCommand extends AdminCommand.Base {

    @Override
    int run(Identities ids, RegistryId account, PrintStream out) {
        List<NodeRecord> nodes = stores.nodes().list();
        if (nodes.isEmpty()) {
            out.println("No nodes are serving " + stores.metadata().describe() + ".");
            return 0;
        }
        Instant now = stores.clock().instant();
        out.printf("%-36s %-6s %-10s %-28s %-24s %s%n", "NODE", "STATE", "VERSION", "ADDRESS", "STARTED",
                "LAST SEEN");
        for (NodeRecord n : nodes) {
            long ago = Math.max(0, Duration.between(n.lastSeenAt(), now).toSeconds());
            out.printf("%-36s %-6s %-10s %-28s %-24s %s%n", TerminalText.cell(n.nodeId()),
                    n.liveAt(now, NodeHeartbeat.DEAD_AFTER) ? "live" : "dead", TerminalText.cell(n.version()),
                    TerminalText.cell(n.address()), n.startedAt(), ago + " s ago");
        }
        return 0;
    }
}
