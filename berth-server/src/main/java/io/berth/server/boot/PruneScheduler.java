package io.berth.server.boot;

import io.berth.server.config.Durations;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention inside {@code serve}, for the audit trail ({@code audit.*}) and the event stream ({@code events.*}):
 * every {@code interval}, prunes what is older than {@code retention} (in batches, see {@code AuditRetention} and
 * {@code EventRetention}) and logs how many. The job runner of issue 9 takes both over as scheduled jobs; until then
 * they run on every node, which is harmless: a prune is idempotent and each batch is its own short transaction.
 */
final class PruneScheduler implements BackgroundService {
    private static final Logger LOG = LoggerFactory.getLogger(PruneScheduler.class);

    private final String what;
    private final Duration keep;
    private final ToLongFunction<Duration> prune;
    private final PeriodicTask task;

    /**
     * @param what  {@code audit} or {@code events}: the service's name, the log's subject and the keys' prefix
     * @param prune deletes what is older than its argument; returns how many
     */
    PruneScheduler(String what, Duration retention, Duration interval, ToLongFunction<Duration> prune) {
        this.what = what;
        this.keep = retention;
        this.prune = prune;
        this.task = new PeriodicTask(what + "-prune", retention.isZero() ? Duration.ZERO : interval, this::pass);
    }

    @Override
    public String name() { return what + "-prune"; }

    @Override
    public void start() {
        if (!task.start()) {
            LOG.info("{} are kept forever ({}.retention or {}.prune-interval 0)", what, what, what);
        }
    }

    private void pass() {
        long start = System.nanoTime();
        long pruned = prune.applyAsLong(keep);
        if (pruned > 0) {
            LOG.info("{}: pruned {} older than {} in {} ms", what, pruned, Durations.format(keep),
                    (System.nanoTime() - start) / 1_000_000);
        } else {
            LOG.debug("{}: nothing older than {}", what, Durations.format(keep));
        }
    }

    @Override
    public void close() {
        task.close();
    }
}
