package io.berth.server.boot;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.service.LifecycleRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle policy jobs. {@link #SCHEDULE} runs every {@code lifecycle.interval} and enqueues one
 * {@link LifecycleRuns#EVALUATE_KIND} job per repository with a policy; each of those is leased on its own, so on
 * several nodes exactly one evaluates a repository, and a large repository does not hold up the others.
 * {@link LifecycleRuns#PREVIEW_KIND} jobs are enqueued by StartLifecyclePolicyPreview.
 */
final class LifecycleJob implements JobHandler {
    static final String SCHEDULE = "lifecycle-schedule";
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleJob.class);

    private final String kind;
    private final LifecycleRuns runs;

    private LifecycleJob(String kind, LifecycleRuns runs) {
        this.kind = kind;
        this.runs = runs;
    }

    static LifecycleJob schedule(LifecycleRuns runs) { return new LifecycleJob(SCHEDULE, runs); }

    static LifecycleJob evaluate(LifecycleRuns runs) { return new LifecycleJob(LifecycleRuns.EVALUATE_KIND, runs); }

    static LifecycleJob preview(LifecycleRuns runs) { return new LifecycleJob(LifecycleRuns.PREVIEW_KIND, runs); }

    @Override
    public String kind() { return kind; }

    @Override
    public void run(JobContext context) {
        String target = context.job().target();
        switch (kind) {
            case SCHEDULE -> context.progress("enqueued " + runs.enqueueEvaluations()
                    + " repository evaluations", 100);
            case LifecycleRuns.EVALUATE_KIND -> {
                long start = System.nanoTime();
                LifecycleRuns.Outcome o = runs.evaluate(LifecycleRuns.registryOf(target),
                        LifecycleRuns.repositoryOf(target));
                String summary = o.expired() + " expired, " + o.transitioned() + " archived, " + o.skipped()
                        + " kept of " + o.decided() + " decided";
                context.progress(summary, 100);
                if (o.decided() > 0) {
                    LOG.info("lifecycle: {}: {} in {} ms (job {})", target, summary,
                            (System.nanoTime() - start) / 1_000_000, context.job().id());
                }
            }
            case LifecycleRuns.PREVIEW_KIND -> {
                runs.preview(LifecycleRuns.registryOf(target), LifecycleRuns.repositoryOf(target));
                context.progress("preview stored", 100);
            }
            default -> throw new IllegalStateException("not a lifecycle job kind: " + kind);
        }
    }
}
