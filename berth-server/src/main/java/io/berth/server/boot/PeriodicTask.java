package io.berth.server.boot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background pass every {@code interval} on a daemon thread of its own, with a fixed delay (a slow pass never
 * overlaps the next) and a failed pass logged without cancelling the schedule. Interval zero: never runs.
 * What a {@link BackgroundService} runs on until the job runner of the lifecycle issue takes these passes over.
 */
final class PeriodicTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration interval;
    private final Runnable pass;
    private final ScheduledExecutorService executor;

    PeriodicTask(String name, Duration interval, Runnable pass) {
        this.name = name;
        this.interval = interval;
        this.pass = pass;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** @return false when the interval is zero (disabled) */
    boolean start() {
        if (interval.isZero()) {
            return false;
        }
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runPass, ms, ms, TimeUnit.MILLISECONDS);
        return true;
    }

    private void runPass() {
        try {
            pass.run();
        } catch (Throwable t) { // a failed pass must not cancel the schedule
            LOG.error("{} pass failed", name, t);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
