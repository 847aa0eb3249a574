package io.berth.server.metrics;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;

/** Times each run of a job kind ({@code berth_jobs_runs_seconds{kind,outcome}}): scan durations, GC passes. */
public final class TimedJobHandler implements JobHandler {
    private final JobHandler delegate;
    private final BerthMetrics metrics;

    public TimedJobHandler(JobHandler delegate, BerthMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override public String kind() { return delegate.kind(); }

    @Override
    public void run(JobContext context) throws Exception {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            delegate.run(context);
            ok = true;
        } finally {
            metrics.jobRun(delegate.kind(), ok, System.nanoTime() - start);
        }
    }
}
