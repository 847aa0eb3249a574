package io.berth.server.boot;

import io.berth.core.gc.Bytes;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcReport;
import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job kind {@code gc}: one GC pass of the whole registry, as {@code berth gc} runs it, scheduled every
 * {@code gc.interval}. On several nodes over one database exactly one runs each pass (the job runner leases it).
 */
final class GcJob implements JobHandler {
    static final String KIND = "gc";
    /** A pass that fails is tried again (with backoff) this many times in all, then waits for the next occurrence. */
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(GcJob.class);

    private final GarbageCollector gc;
    private final java.util.function.Consumer<GcReport> finished;

    GcJob(GarbageCollector gc) {
        this(gc, r -> { });
    }

    /** @param finished told of each completed pass (the metrics' runs and bytes freed) */
    GcJob(GarbageCollector gc, java.util.function.Consumer<GcReport> finished) {
        this.gc = gc;
        this.finished = finished;
    }

    @Override
    public String kind() { return KIND; }

    /**
     * Synchronized: an operator's retried or enqueued pass may come due while the scheduled one runs, and the
     * collector refuses a second pass at once; the later one waits instead of failing.
     */
    @Override
    public synchronized void run(JobContext context) {
        long start = System.nanoTime();
        GcReport r = gc.run(false, (phase, done, bytes) -> context.progress(phase + ": " + done + " ("
                + Bytes.human(bytes) + ")", null));
        context.progress(r.summary(), 100);
        finished.accept(r);
        LOG.info("gc: removed {} blobs ({}), {} upload sessions ({}); examined {} blobs in {} ms (job {})",
                r.blobsRemoved(), ByteCounts.format(r.bytesRemoved()), r.uploadsRemoved(),
                ByteCounts.format(r.uploadBytesRemoved()), r.blobsScanned(),
                (System.nanoTime() - start) / 1_000_000, context.job().id());
    }
}
