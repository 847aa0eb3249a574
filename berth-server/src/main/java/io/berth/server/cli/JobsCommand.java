package io.berth.server.cli;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.server.auth.Identities;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth admin jobs}: the background jobs (GC, audit pruning, and the kinds later issues add) with their state,
 * attempts, progress and last error, newest first; {@code retry ID} and {@code cancel ID} change one. Safe while the
 * server runs: a retried job is picked up by the next poll of a runner, and a cancelled running job's runner
 * interrupts it at its next lease renewal.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List background jobs with their state, progress and errors, newest first.",
        subcommands = {JobsCommand.Retry.class, JobsCommand.Cancel.class})
final class JobsCommand extends AdminCommand.Base {
    @Option(names = "--state", paramLabel = "STATE",
            description = "Only jobs in this state: QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED")
    String state;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only jobs of this kind (gc, audit-prune, event-prune)")
    String kind;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N jobs (default 50)")
    int limit;

    @Override
    int run(Identities ids, RegistryId account, PrintStream out) {
        JobState wanted = null;
        if (state != null) {
            try {
                wanted = JobState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return refuse("InvalidParameter", "--state " + state + " is not one of QUEUED, RUNNING, SUCCEEDED, "
                        + "FAILED, CANCELLED");
            }
        }
        if (limit < 1 || limit > 1000) {
            return refuse("InvalidParameter", "--limit must be 1..1000, got " + limit);
        }
        JobStore.Query query = new JobStore.Query(wanted, kind, limit);
        List<JobRecord> jobs = stores.metadata().read(tx -> tx.jobs().list(query));
        if (jobs.isEmpty()) {
            out.println("No jobs" + (state != null || kind != null ? " match" : "") + ".");
            return 0;
        }
        out.printf("%-8s %-12s %-10s %-8s %-24s %s%n", "ID", "KIND", "STATE", "ATTEMPT", "NEXT RUN / UPDATED",
                "TARGET, PROGRESS, ERROR");
        for (JobRecord j : jobs) {
            Instant when = j.state() == JobState.QUEUED ? j.nextRunAt() : j.updatedAt();
            StringBuilder detail = new StringBuilder();
            if (!j.target().isEmpty()) {
                detail.append("target ").append(TerminalText.cell(j.target())).append("; ");
            }
            if (j.progress() != null) {
                detail.append(TerminalText.cell(j.progress()))
                        .append(j.progressPercent() == null ? "" : " (" + j.progressPercent() + "%)").append("; ");
            }
            if (j.state() == JobState.RUNNING) {
                detail.append("on ").append(TerminalText.cell(j.leaseOwner())).append("; ");
            }
            if (j.lastError() != null) {
                detail.append("error: ").append(TerminalText.cell(j.lastError())).append("; ");
            }
            String text = detail.length() == 0 ? "-" : detail.substring(0, detail.length() - 2);
            out.printf("%-8d %-12s %-10s %-8s %-24s %s%n", j.id(), TerminalText.cell(j.kind()), j.state(),
                    j.attempts() + "/" + j.maxAttempts(), when, text);
        }
        return 0;
    }

    /** What retry and cancel share: the job ID, audited, and the answer for each outcome. */
    abstract static class Change extends AdminCommand.Base {
        @Parameters(paramLabel = "ID", description = "The job's ID, from berth admin jobs")
        long id;

        private final String event;
        private final String done;
        private final String allowedFrom;
        private final String verb;

        Change(String event, String done, String allowedFrom, String verb) {
            this.event = event;
            this.done = done;
            this.allowedFrom = allowedFrom;
            this.verb = verb;
        }

        abstract JobStore.Change change(JobStore jobs, Instant now);

        @Override
        String eventName() { return event; }

        @Override
        void describeForAudit() { auditParameters.put("jobId", id); }

        @Override
        int run(Identities ids, RegistryId account, PrintStream out) {
            Instant now = stores.clock().instant();
            JobStore.Change result = stores.metadata().write(tx -> change(tx.jobs(), now));
            return switch (result) {
                case DONE -> {
                    out.println(done + " job " + id);
                    yield 0;
                }
                case NOT_FOUND -> refuse("JobNotFound", "no job " + id);
                case WRONG_STATE -> refuse("InvalidJobState", "job " + id + " is " + stateOf(id) + "; only "
                        + allowedFrom + " jobs can be " + verb);
                case KEY_IN_USE -> refuse("JobAlreadyQueued", "job " + id + " cannot be retried: another "
                        + "occurrence of it is queued or running");
            };
        }

        private String stateOf(long id) {
            return stores.metadata().read(tx -> tx.jobs().get(id)).map(j -> j.state().name()).orElse("gone");
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Queue a FAILED or CANCELLED job again, due now, with its attempts reset.")
    static final class Retry extends Change {
        Retry() { super("RetryJob", "Queued", "FAILED or CANCELLED", "retried"); }

        @Override
        JobStore.Change change(JobStore jobs, Instant now) { return jobs.retry(id, now); }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a QUEUED or RUNNING job (a running one is interrupted within 10 s).")
    static final class Cancel extends Change {
        Cancel() { super("CancelJob", "Cancelled", "QUEUED or RUNNING", "cancelled"); }

        @Override
        JobStore.Change change(JobStore jobs, Instant now) { return jobs.cancel(id, now); }
    }
}
