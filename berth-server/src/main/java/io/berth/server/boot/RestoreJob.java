package io.berth.server.boot;

import io.berth.core.event.EventRecorder;
import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ImageArchive;
import io.berth.core.service.RegistryServices;
import io.berth.core.service.ImageStorageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job kind {@code image-restore}: the second half of a restore from the archive storage class. UpdateImageStorageClass
 * (STANDARD) marks the image ACTIVATING and enqueues this job in the same transaction; the job brings the image's
 * archived blobs back to the standard tier (progress: blobs done of total) and makes it ACTIVE. Its target is
 * {@code <registry>/<repository>@<digest>} ({@link ImageArchive#jobTarget}).
 */
final class RestoreJob implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreJob.class);

    private final RegistryServices services;

    RestoreJob(RegistryServices services) {
        this.services = services;
    }

    @Override
    public String kind() { return ImageArchive.RESTORE_JOB; }

    @Override
    public void run(JobContext context) {
        String target = context.job().target();
        int slash = target.indexOf('/');
        int at = target.lastIndexOf('@');
        if (slash < 12 || at < slash) {
            throw new IllegalArgumentException("not a restore target (<registry>/<repository>@<digest>): " + target);
        }
        RegistryId registry = RegistryId.ofKey(target.substring(0, slash));
        RepositoryName repo = RepositoryName.of(target.substring(slash + 1, at));
        Digest digest = Digest.parse(target.substring(at + 1));
        ImageStorageView after = services.archive(registry, EventRecorder.ARCHIVE).completeRestore(repo, digest,
                (done, total) -> context.progress("restored " + done + " of " + total + " blobs",
                        total == 0 ? 100 : done * 100 / total));
        String outcome = after == null ? "image deleted meanwhile" : "image " + after.status();
        context.progress(outcome, 100);
        LOG.info("restore of {}: {} (job {})", target, outcome, context.job().id());
    }
}
