package io.berth.server.boot;

import io.berth.core.audit.AuditRetention;
import io.berth.core.event.EventRetention;
import io.berth.core.job.JobHandler;
import io.berth.core.job.JobRunner;
import io.berth.core.job.JobSchedule;
import io.berth.core.replication.Replication;
import io.berth.core.replication.ReplicationJob;
import io.berth.core.replication.ReplicationPermission;
import io.berth.core.scanning.ContinuousRescans;
import io.berth.core.scanning.ImageScanning;
import io.berth.core.scanning.ScanJob;
import io.berth.core.service.LifecycleRuns;
import io.berth.core.service.LifecycleTransitions;
import io.berth.core.signing.ImageSigning;
import io.berth.core.signing.SignJob;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.MetadataConfig;
import io.berth.server.metrics.BerthMetrics;
import io.berth.server.metrics.TimedJobHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The job runner of one node: a handler per job kind (the static list every new kind joins), the schedules the
 * configuration turns on, and the start line's list of those it turns off.
 */
final class JobAssembly {
    private final BerthConfig config;
    private final Stores stores;
    private final BerthMetrics metrics;
    private final String nodeId;

    JobAssembly(BerthConfig config, Stores stores, BerthMetrics metrics, String nodeId) {
        this.config = config;
        this.stores = stores;
        this.metrics = metrics;
        this.nodeId = nodeId;
    }

    /** The runner with a handler per job kind, and the schedules the configuration turns on. */
    JobRunner runner(ImageScanning scanning, ImageSigning signing, Replication replication,
                     ReplicationPermission replicationPermission) {
        // transitions are logged and skipped until the archive storage class is wired in here
        LifecycleRuns lifecycle = stores.services().lifecycleRuns(stores.audit(), LifecycleTransitions.archivingWith(stores.services()));
        ReplicationJob replicationJob = new ReplicationJob(replication, stores.services(), stores.metadata(),
                stores.clock(), config.regions().peers(), replicationPermission,
                new io.berth.server.replication.PeerEcrClient(stores.clock())).reportingLagTo(metrics::replicated);
        List<JobHandler> handlers = timed(new GcJob(stores.garbageCollector(config.gc().grace()),
                        r -> metrics.gcPass(r.blobsRemoved(), r.bytesRemoved() + r.uploadBytesRemoved())),
                PruneJob.audit(new AuditRetention(stores.metadata(), stores.clock()), config.audit().retention()),
                PruneJob.events(new EventRetention(stores.metadata(), stores.clock()), config.events().retention()),
                new ScanJob(scanning), new ContinuousRescans(stores.metadata(), scanning, stores.clock()),
                new FeedJob(config.scanning().feeds(), stores.feedRefresher(), stores.metadata(), stores.clock()),
                new RestoreJob(stores.services()), new SignJob(signing),
                replicationJob, replicationJob.deletes(),
                LifecycleJob.schedule(lifecycle), LifecycleJob.evaluate(lifecycle), LifecycleJob.preview(lifecycle));
        List<JobSchedule> schedules = new ArrayList<>();
        if (!config.gc().interval().isZero()) {
            schedules.add(JobSchedule.every(GcJob.KIND, config.gc().interval(), GcJob.MAX_ATTEMPTS));
        }
        if (auditPruneOn()) {
            schedules.add(JobSchedule.every(PruneJob.AUDIT, config.audit().pruneInterval(), PruneJob.MAX_ATTEMPTS));
        }
        if (eventPruneOn()) {
            schedules.add(JobSchedule.every(PruneJob.EVENTS, config.events().pruneInterval(), PruneJob.MAX_ATTEMPTS));
        }
        if (!config.scanning().feeds().isEmpty() && !config.scanning().feedInterval().isZero()) {
            schedules.add(JobSchedule.every(FeedJob.KIND, config.scanning().feedInterval(), FeedJob.MAX_ATTEMPTS));
        }
        if (!config.lifecycle().interval().isZero()) {
            schedules.add(JobSchedule.every(LifecycleJob.SCHEDULE, config.lifecycle().interval(),
                    LifecycleRuns.MAX_ATTEMPTS));
        }

        return new JobRunner(stores.metadata(), stores.clock(), config.jobs().runnerOptions(nodeId,
                config.metadata().type() == MetadataConfig.MetadataType.SQLITE), handlers, schedules);
    }

    /** Every job kind's runs are timed ({@code berth_jobs_runs_seconds}): scan durations, GC passes. */
    private List<JobHandler> timed(JobHandler... handlers) {
        return java.util.Arrays.stream(handlers).map(h -> (JobHandler) new TimedJobHandler(h, metrics)).toList();
    }

    private boolean auditPruneOn() {
        return !config.audit().retention().isZero() && !config.audit().pruneInterval().isZero();
    }

    private boolean eventPruneOn() {
        return !config.events().retention().isZero() && !config.events().pruneInterval().isZero();
    }

    List<String> disabledSchedules() {
        List<String> off = new ArrayList<>();
        if (config.gc().interval().isZero()) {
            off.add("background GC disabled (gc.interval 0)");
        }
        if (!auditPruneOn()) {
            off.add("audit events are kept forever (audit.retention or audit.prune-interval 0)");
        }
        if (config.lifecycle().interval().isZero()) {
            off.add("lifecycle policies are not evaluated (lifecycle.interval 0)");
        }
        if (!eventPruneOn()) {
            off.add("stream events are kept forever (events.retention or events.prune-interval 0)");
        }
        return off;
    }
}
