package io.berth.server;

import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcReport;
import io.berth.server.config.Durations;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs GC inside {@code serve} every {@code gc.interval} on one daemon thread, one summary line per pass. */
final class GcScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GcScheduler.class);

    private final GarbageCollector gc;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-gc");
        t.setDaemon(true);
        return t;
    });

    GcScheduler(GarbageCollector gc, Duration interval) {
        this.gc = gc;
        this.interval = interval;
    }

    void start() {
        if (interval.isZero()) {
            LOG.info("background GC disabled (gc.interval 0)");
            return;
        }
        long ms = interval.toMillis();
        // fixed delay, not rate: a slow pass must never overlap the next one
        executor.scheduleWithFixedDelay(this::pass, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void pass() {
        long start = System.nanoTime();
        try {
            GcReport r = gc.run(false, GcProgress.NONE);
            LOG.info("gc: removed {} blobs ({}), {} upload sessions ({}); examined {} blobs in {} ms; next in {}",
                    r.blobsRemoved(), GcCommand.bytes(r.bytesRemoved()), r.uploadsRemoved(),
                    GcCommand.bytes(r.uploadBytesRemoved()), r.blobsScanned(),
                    (System.nanoTime() - start) / 1_000_000, Durations.format(interval));
        } catch (Throwable t) { // a failed pass must not cancel the schedule
            LOG.error("gc pass failed", t);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
