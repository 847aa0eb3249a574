package io.berth.core.scanning;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;

/** The job runner's handler of {@link ImageScanning#JOB_KIND}: one image's scan. */
public final class ScanJob implements JobHandler {
    private final ImageScanning scanning;

    public ScanJob(ImageScanning scanning) {
        this.scanning = scanning;
    }

    @Override
    public String kind() { return ImageScanning.JOB_KIND; }

    @Override
    public void run(JobContext context) throws Exception {
        context.progress("scanning " + context.job().target(), null);
        scanning.run(context.job().target());
    }
}
