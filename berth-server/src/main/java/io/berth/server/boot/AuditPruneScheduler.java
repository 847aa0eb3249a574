package io.berth.server.boot;

import io.berth.core.audit.AuditRetention;
import io.berth.server.config.AuditConfig;
import io.berth.server.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit retention inside {@code serve}: every {@code audit.prune-interval}, deletes the events older than
 * {@code audit.retention} (in batches, see {@link AuditRetention}) and logs how many. The job runner of the lifecycle
 * issue will take it over as a job.
 */
final class AuditPruneScheduler implements BackgroundService {
    private static final Logger LOG = LoggerFactory.getLogger(AuditPruneScheduler.class);

    private final AuditRetention retention;
    private final Duration keep;
    private final PeriodicTask task;

    AuditPruneScheduler(AuditRetention retention, AuditConfig config) {
        this.retention = retention;
        this.keep = config.retention();
        this.task = new PeriodicTask("audit-prune", keep.isZero() ? Duration.ZERO : config.pruneInterval(),
                this::pass);
    }

    @Override
    public String name() { return "audit-prune"; }

    @Override
    public void start() {
        if (!task.start()) {
            LOG.info("audit events are kept forever (audit.retention or audit.prune-interval 0)");
        }
    }

    private void pass() {
        long start = System.nanoTime();
        long pruned = retention.pruneOlderThan(keep);
        if (pruned > 0) {
            LOG.info("audit: pruned {} events older than {} in {} ms", pruned, Durations.format(keep),
                    (System.nanoTime() - start) / 1_000_000);
        } else {
            LOG.debug("audit: no events older than {}", Durations.format(keep));
        }
    }

    @Override
    public void close() {
        task.close();
    }
}
