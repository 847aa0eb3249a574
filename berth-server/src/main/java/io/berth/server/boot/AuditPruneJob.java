package io.berth.server.boot;

import io.berth.core.audit.AuditRetention;
import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.server.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job kind {@code audit-prune}: deletes the audit events older than {@code audit.retention} (in batches, see
 * {@link AuditRetention}), scheduled every {@code audit.prune-interval}.
 */
final class AuditPruneJob implements JobHandler {
    static final String KIND = "audit-prune";
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(AuditPruneJob.class);

    private final AuditRetention retention;
    private final Duration keep;

    AuditPruneJob(AuditRetention retention, Duration keep) {
        this.retention = retention;
        this.keep = keep;
    }

    @Override
    public String kind() { return KIND; }

    @Override
    public void run(JobContext context) {
        if (keep.isZero()) {
            context.progress("audit.retention is 0: events are kept forever", 100);
            return; // an occurrence from before a configuration change
        }
        long start = System.nanoTime();
        long pruned = retention.pruneOlderThan(keep);
        context.progress("pruned " + pruned + " events older than " + Durations.format(keep), 100);
        if (pruned > 0) {
            LOG.info("audit: pruned {} events older than {} in {} ms", pruned, Durations.format(keep),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
