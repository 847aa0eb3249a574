package io.berth.server.boot;

import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcReport;
import io.berth.server.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs GC inside {@code serve} every {@code gc.interval} on one daemon thread, one summary line per pass. */
final class GcScheduler implements BackgroundService {
    private static final Logger LOG = LoggerFactory.getLogger(GcScheduler.class);

    private final GarbageCollector gc;
    private final Duration interval;
    private final PeriodicTask task;

    GcScheduler(GarbageCollector gc, Duration interval) {
        this.gc = gc;
        this.interval = interval;
        this.task = new PeriodicTask("gc", interval, this::pass);
    }

    @Override
    public String name() { return "gc"; }

    @Override
    public void start() {
        if (!task.start()) {
            LOG.info("background GC disabled (gc.interval 0)");
        }
    }

    private void pass() {
        long start = System.nanoTime();
        GcReport r = gc.run(false, GcProgress.NONE);
        LOG.info("gc: removed {} blobs ({}), {} upload sessions ({}); examined {} blobs in {} ms; next in {}",
                r.blobsRemoved(), ByteCounts.format(r.bytesRemoved()), r.uploadsRemoved(),
                ByteCounts.format(r.uploadBytesRemoved()), r.blobsScanned(),
                (System.nanoTime() - start) / 1_000_000, Durations.format(interval));
    }

    @Override
    public void close() {
        task.close();
    }
}
