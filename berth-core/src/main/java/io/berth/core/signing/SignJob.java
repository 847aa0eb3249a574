package io.berth.core.signing;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;

/** The job runner's handler of {@link ImageSigning#JOB_KIND}: one pushed image's signatures. */
public final class SignJob implements JobHandler {
    private final ImageSigning signing;

    public SignJob(ImageSigning signing) {
        this.signing = signing;
    }

    @Override
    public String kind() { return ImageSigning.JOB_KIND; }

    @Override
    public void run(JobContext context) throws Exception {
        context.progress("signing " + context.job().target(), null);
        signing.run(context.job().target());
    }
}
