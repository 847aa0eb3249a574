package io.berth.core.scanning;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.ScanStore.ImageRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Continuous scanning (ENHANCED, {@code CONTINUOUS_SCAN}): when a vulnerability-data source is imported, the images
 * it concerns are rescanned. The import (which may run in {@code berth vulndb} beside the server) queues one job
 * per source; the job finds the images through the package index of their last scans, not by rescanning
 * everything, and queues a rescan of each whose repository scans continuously: its stored inventory matched against
 * the new data ({@link ImageScanEngine#rematch}), its layers read only when no inventory is stored. As ECR does, an
 * image neither pushed nor pulled for 30 days is no longer rescanned.
 */
public final class ContinuousRescans implements JobHandler {
    public static final String JOB_KIND = "continuous-rescan";
    static final int MAX_ATTEMPTS = 3;
    /** ECR suspends continuous scanning of an image after this long without a push or a pull. */
    public static final Duration ELIGIBILITY = Duration.ofDays(30);
    static final int MAX_IMAGES = 100_000;

    private final MetadataStore metadata;
    private final ImageScanning scanning;
    private final Clock clock;

    public ContinuousRescans(MetadataStore metadata, ImageScanning scanning, Clock clock) {
        this.metadata = metadata;
        this.scanning = scanning;
        this.clock = clock;
    }

    /** Queues the rescan of what {@code source} concerns, in the caller's database, after its import committed. */
    public static void afterImport(MetadataStore metadata, String source, Instant now) {
        metadata.write(tx -> tx.jobs().enqueue(new NewJob(JOB_KIND, source, "rescan:" + source, MAX_ATTEMPTS, now),
                now));
    }

    @Override
    public String kind() { return JOB_KIND; }

    /** Whether continuous scanning still covers an image pushed and last pulled then ({@code cutoff}: 30 days ago). */
    static boolean eligible(Instant pushedAt, Instant lastPulledAt, Instant cutoff) {
        return pushedAt.isAfter(cutoff) || (lastPulledAt != null && lastPulledAt.isAfter(cutoff));
    }

    @Override
    public void run(JobContext context) {
        String source = context.job().target();
        Instant cutoff = clock.instant().minus(ELIGIBILITY);
        List<ImageRef> images = metadata.read(tx -> tx.scans().concernedBy(source, MAX_IMAGES));
        int queued = 0;
        int seen = 0;
        for (ImageRef i : images) {
            seen++;
            if (eligible(i.pushedAt(), i.lastPulledAt(), cutoff)
                    && scanning.scansContinuously(i.registry(), i.repository())) {
                scanning.queueRematch(i.registry(), i.repository(), i.digest());
                queued++;
            }
            if (seen % 1000 == 0) {
                context.progress(seen + " of " + images.size() + " images checked, " + queued + " rescans queued",
                        seen * 100 / images.size());
            }
        }
        context.progress(images.size() + " images concerned by " + source + ", " + queued + " rescans queued", 100);
    }
}
