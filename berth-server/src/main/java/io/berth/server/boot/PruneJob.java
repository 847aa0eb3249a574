package io.berth.server.boot;

import io.berth.core.audit.AuditRetention;
import io.berth.core.event.EventRetention;
import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.server.config.Durations;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retention pass as a scheduled job: deletes what is older than its retention, in the batches its pruner uses.
 * Job kind {@code audit-prune} ({@code audit.retention}, every {@code audit.prune-interval}; see
 * {@link AuditRetention}) and {@code event-prune} ({@code events.retention}, every {@code events.prune-interval};
 * events a subscriber has not acknowledged are kept, see {@link EventRetention}).
 */
final class PruneJob implements JobHandler {
    static final String AUDIT = "audit-prune";
    static final String EVENTS = "event-prune";
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(PruneJob.class);

    private final String kind;
    private final String what;
    private final String retentionKey;
    private final Duration keep;
    private final ToLongFunction<Duration> pruneOlderThan;

    private PruneJob(String kind, String what, String retentionKey, Duration keep,
                     ToLongFunction<Duration> pruneOlderThan) {
        this.kind = kind;
        this.what = what;
        this.retentionKey = retentionKey;
        this.keep = keep;
        this.pruneOlderThan = pruneOlderThan;
    }

    static PruneJob audit(AuditRetention retention, Duration keep) {
        return new PruneJob(AUDIT, "audit events", "audit.retention", keep, retention::pruneOlderThan);
    }

    static PruneJob events(EventRetention retention, Duration keep) {
        return new PruneJob(EVENTS, "stream events", "events.retention", keep, retention::pruneOlderThan);
    }

    @Override
    public String kind() { return kind; }

    @Override
    public void run(JobContext context) {
        if (keep.isZero()) {
            context.progress(retentionKey + " is 0: " + what + " are kept forever", 100);
            return; // an occurrence from before a configuration change
        }
        long start = System.nanoTime();
        long pruned = pruneOlderThan.applyAsLong(keep);
        context.progress("pruned " + pruned + " " + what + " older than " + Durations.format(keep), 100);
        if (pruned > 0) {
            LOG.info("{}: pruned {} {} older than {} in {} ms", kind, pruned, what, Durations.format(keep),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
