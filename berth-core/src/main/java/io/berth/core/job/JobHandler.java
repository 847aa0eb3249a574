package io.berth.core.job;

/**
 * The work of one job kind ({@code gc}, and next lifecycle evaluation, scanning, replication, webhooks), registered
 * with the {@link JobRunner}. A run returns normally when it is done and throws when it failed; the runner then
 * retries it with backoff. A handler may run again after a crash for the same job, so it must be safe to repeat
 * (every Berth job is: it re-reads the state it acts on). The thread is interrupted when the job is cancelled, its
 * lease is lost or the runner stops.
 */
public interface JobHandler {

    /** The kind of job this handler runs; one handler per kind. */
    String kind();

    void run(JobContext context) throws Exception;
}
