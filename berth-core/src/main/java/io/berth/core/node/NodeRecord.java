package io.berth.core.node;

import java.time.Duration;
import java.time.Instant;

/**
 * One node's heartbeat row.
 *
 * @param nodeId     the process's name in job leases (host, PID, random suffix), unique per start
 * @param version    the Berth version it runs
 * @param address    the URL it listens on
 * @param startedAt  when it started
 * @param lastSeenAt its latest heartbeat
 */
public record NodeRecord(String nodeId, String version, String address, Instant startedAt, Instant lastSeenAt) {

    /** Live when its last heartbeat is younger than {@code deadAfter}: a node that misses a few beats is dead. */
    public boolean liveAt(Instant now, Duration deadAfter) {
        return lastSeenAt.plus(deadAfter).isAfter(now);
    }
}
