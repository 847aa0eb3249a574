package io.berth.core.node;

import java.time.Instant;
import java.util.List;

/** Where nodes write their heartbeats: the {@code nodes} table of the shared metadata database. */
public interface NodeDirectory {
    /** Inserts or refreshes {@code node}'s row (its {@code lastSeenAt}). */
    void beat(NodeRecord node);

    /** Removes the row of a node that stops gracefully. */
    void leave(String nodeId);

    /** Deletes rows last seen before {@code cutoff}: nodes dead long enough to stop listing. */
    int prune(Instant cutoff);

    /** Every row, the earliest started first. */
    List<NodeRecord> list();
}
