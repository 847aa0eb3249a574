package io.berth.core.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's heartbeat every {@link #INTERVAL} on a thread of its own, prunes nodes dead for
 * {@link #FORGET_AFTER}, and removes its own row when it stops. A failed beat (the database briefly unreachable) is
 * logged and retried at the next tick: being listed as dead for a moment is the truthful answer then.
 */
public final class NodeHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
    public static final Duration INTERVAL = Duration.ofSeconds(3);
    /** Three missed beats: long enough for a GC pause or a slow commit, short enough to notice a kill -9. */
    public static final Duration DEAD_AFTER = INTERVAL.multipliedBy(4);
    /** How long a dead node stays listed (marked dead) before its row is deleted. */
    public static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final NodeDirectory directory;
    private final Clock clock;
    private final String nodeId;
    private final String version;
    private final String address;
    private final Instant startedAt;
    private ScheduledExecutorService timer;

    public NodeHeartbeat(NodeDirectory directory, Clock clock, String nodeId, String version, String address) {
        this.directory = directory;
        this.clock = clock;
        this.nodeId = nodeId;
        this.version = version;
        this.address = address;
        this.startedAt = clock.instant();
    }

    /** Beats once now (so a started node is listed at once; a failure here fails the start), then periodically. */
    public synchronized void start() {
        beat();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::beatQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void beat() {
        Instant now = clock.instant();
        directory.beat(new NodeRecord(nodeId, version, address, startedAt, now));
        directory.prune(now.minus(FORGET_AFTER));
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("node heartbeat failed (retried in {} s): {}", INTERVAL.toSeconds(), e.toString());
        }
    }

    public String nodeId() { return nodeId; }

    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS); // a beat in flight must not re-insert the row after leave
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
        try {
            directory.leave(nodeId);
        } catch (RuntimeException e) {
            LOG.warn("could not remove this node's heartbeat row; it will be listed as dead: {}", e.toString());
        }
    }
}
