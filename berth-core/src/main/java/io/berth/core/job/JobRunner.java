package io.berth.core.job;

import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the durable jobs of {@link io.berth.core.spi.meta.JobStore} on a bounded pool of its own threads: polls for
 * due jobs of the kinds it has handlers for, leases them, renews the leases while they run, and records success, or
 * failure with exponential backoff up to the job's attempts, then FAILED with the error. Keeps its
 * {@link JobSchedule}s enqueued.
 *
 * <p>Several runners (nodes) may share one PostgreSQL database: the store's claim gives each job to exactly one, and
 * when a node dies its leases expire and another node's poll takes its jobs over. On SQLite there is one node, and
 * at its start it takes over at once what its previous process left running.
 *
 * <p>{@link #close} does not hand running jobs back: a node that stops and a node that dies leave the same rows
 * (leases that expire), so the one takeover path is the one that is tested, and a job interrupted by a shutdown
 * resumes on the next start or another node once its lease ends.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How often schedules are re-checked (a cancelled occurrence is replaced) and old finished jobs deleted. */
    static final Duration HOUSEKEEPING = Duration.ofMinutes(1);
    /** How long finished jobs stay listed by {@code berth admin jobs}. */
    static final Duration FINISHED_RETENTION = Duration.ofDays(7);
    private static final int PRUNE_BATCH = 500;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final MetadataStore store;
    private final Clock clock;
    private final RunnerOptions options;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private final Map<String, JobSchedule> schedules = new LinkedHashMap<>(); // by unique key
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    /** Jobs this node interrupted because it no longer holds them: their outcome is not this node's to record. */
    private final java.util.Set<Long> abandoned = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService control;
    private final ExecutorService workers;
    private volatile boolean closing;
    private volatile Instant nextHousekeeping = Instant.MIN;

    public JobRunner(MetadataStore store, Clock clock, RunnerOptions options, List<JobHandler> handlers,
                     List<JobSchedule> schedules) {
        this.store = store;
        this.clock = clock;
        this.options = options;
        for (JobHandler h : handlers) {
            if (this.handlers.putIfAbsent(h.kind(), h) != null) {
                throw new IllegalArgumentException("two handlers for job kind " + h.kind());
            }
        }
        for (JobSchedule s : schedules) {
            if (!this.handlers.containsKey(s.kind())) {
                throw new IllegalArgumentException("a schedule for job kind " + s.kind() + ", which has no handler");
            }
            this.schedules.put(s.uniqueKey(), s);
        }
        this.control = Executors.newSingleThreadScheduledExecutor(daemon("berth-jobs", new AtomicInteger()));
        this.workers = Executors.newFixedThreadPool(options.threads(), daemon("berth-job-", new AtomicInteger(1)));
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix, AtomicInteger n) {
        return r -> {
            Thread t = new Thread(r, n.get() == 0 ? prefix : prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts polling and renewing on the runner's threads; returns at once. */
    public void start() {
        if (options.singleNode()) {
            Instant now = clock.instant();
            int orphans = store.write(tx -> tx.jobs().expireLeasesNotHeldBy(options.node(), now));
            if (orphans > 0) {
                LOG.info("resuming {} jobs that a previous process left running", orphans);
            }
        }
        control.scheduleWithFixedDelay(this::poll, 0, options.poll().toMillis(), TimeUnit.MILLISECONDS);
        long renewMs = Math.max(10, options.lease().toMillis() / 3);
        control.scheduleWithFixedDelay(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Enqueues a job now (events will trigger jobs through this); empty when an unfinished job has {@code uniqueKey}.
     * This node looks for it at once rather than at its next poll.
     */
    public Optional<JobRecord> enqueue(String kind, String target, String uniqueKey, int maxAttempts) {
        if (!handlers.containsKey(kind)) {
            throw new IllegalArgumentException("no handler for job kind " + kind);
        }
        Instant now = clock.instant();
        Optional<JobRecord> job = store.write(tx -> tx.jobs().enqueue(new NewJob(kind, target, uniqueKey,
                maxAttempts, now), now));
        if (job.isPresent()) {
            wake();
        }
        return job;
    }

    /** Looks for due jobs now rather than at the next poll: someone just enqueued one. */
    public void wake() {
        if (closing) {
            return;
        }
        try {
            control.execute(this::poll);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing meanwhile: the job stays queued for the next start or another node
        }
    }

    /** This runner's name in leases. */
    public String node() { return options.node(); }

    /** How many jobs run on this node now. */
    public int runningCount() { return running.size(); }

    private void poll() {
        if (closing) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (!now.isBefore(nextHousekeeping)) {
                housekeeping(now);
                nextHousekeeping = now.plus(HOUSEKEEPING);
            }
            int free = options.threads() - running.size();
            // a read first: on SQLite a write fsyncs, and most polls find nothing
            if (free <= 0 || !store.read(tx -> tx.jobs().anyDue(handlers.keySet(), now))) {
                return;
            }
            List<JobRecord> claimed = store.write(tx -> tx.jobs().claim(handlers.keySet(), options.node(), free,
                    now, now.plus(options.lease())));
            for (JobRecord job : claimed) {
                Running r = new Running(workers.submit(() -> execute(job)), job.leaseExpiresAt());
                running.put(job.id(), r);
                if (r.future.isDone()) { // it finished (and removed itself) before it was put
                    running.remove(job.id(), r);
                }
            }
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.warn("job poll failed; trying again in {} ms", options.poll().toMillis(), e);
            }
        }
    }

    /** Enqueues each schedule's next occurrence if none is unfinished, and deletes long-finished jobs. */
    private void housekeeping(Instant now) {
        for (JobSchedule s : schedules.values()) {
            if (!store.read(tx -> tx.jobs().hasUnfinished(s.uniqueKey()))) {
                store.write(tx -> tx.jobs().enqueue(next(s, now), now));
            }
        }
        int deleted;
        do {
            Instant cutoff = now.minus(FINISHED_RETENTION);
            deleted = store.write(tx -> tx.jobs().deleteFinishedBefore(cutoff, PRUNE_BATCH));
        } while (deleted == PRUNE_BATCH && !closing);
    }

    private static NewJob next(JobSchedule s, Instant now) {
        long jitter = s.jitter().toMillis() == 0 ? 0 : ThreadLocalRandom.current().nextLong(s.jitter().toMillis());
        return new NewJob(s.kind(), s.target(), s.uniqueKey(), s.maxAttempts(),
                now.plus(s.interval()).plusMillis(jitter));
    }

    private void execute(JobRecord job) {
        JobHandler handler = handlers.get(job.kind());
        Context context = new Context(job);
        try {
            LOG.debug("job {} ({} {}) attempt {} of {} on {}", job.id(), job.kind(), job.target(), job.attempts(),
                    job.maxAttempts(), options.node());
            if (isScheduled(job) && !schedules.containsKey(job.uniqueKey())) {
                // enqueued while the schedule was on: before a configuration change, or by a node configured so
                context.progress("skipped: schedule " + job.uniqueKey() + " is off on " + options.node(), null);
            } else {
                handler.run(context);
            }
            context.flushProgress();
            finish(job, null);
        } catch (Throwable t) { // a failed job must never take the worker thread with it
            if (closing || abandoned.contains(job.id()) || Thread.currentThread().isInterrupted()) {
                LOG.info("job {} ({}) stopped: {}", job.id(), job.kind(), closing ? "runner stopping"
                        : "cancelled or lease lost");
            } else {
                finish(job, t);
            }
        } finally {
            running.remove(job.id());
            abandoned.remove(job.id());
        }
    }

    /** Records the outcome, and for a scheduled job that is done (either way) enqueues its next occurrence. */
    private void finish(JobRecord job, Throwable failure) {
        Instant now = clock.instant();
        JobSchedule schedule = job.uniqueKey() == null ? null : schedules.get(job.uniqueKey());
        String error = failure == null ? null : describe(failure);
        Optional<JobState> outcome = store.write(tx -> {
            Optional<JobState> state;
            if (failure == null) {
                state = tx.jobs().succeed(job.id(), options.node(), now) ? Optional.of(JobState.SUCCEEDED)
                        : Optional.empty();
            } else {
                state = tx.jobs().fail(job.id(), options.node(), error, now.plus(options.backoff(job.attempts())),
                        now);
            }
            if (schedule != null && state.isPresent() && state.get().finished()) {
                tx.jobs().enqueue(next(schedule, now), now);
            }
            return state;
        });
        if (outcome.isEmpty()) {
            LOG.info("job {} ({}) ended after its lease moved on; its result is not recorded", job.id(), job.kind());
        } else if (failure != null) {
            LOG.warn("job {} ({} {}) attempt {} of {} failed{}: {}", job.id(), job.kind(), job.target(),
                    job.attempts(), job.maxAttempts(), outcome.get() == JobState.FAILED ? ", giving up"
                    : "; retrying in " + options.backoff(job.attempts()), error, failure);
        }
    }

    private static boolean isScheduled(JobRecord job) {
        return job.uniqueKey() != null && job.uniqueKey().startsWith(JobSchedule.KEY_PREFIX);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * Extends the lease of every job running here. A job whose lease was lost or that was cancelled is interrupted,
     * and so is one whose lease could not be renewed before it ran out (the database unreachable): another node may
     * take it over from then on, and two nodes must never run one job at once.
     */
    private void renewLeases() {
        for (Map.Entry<Long, Running> e : running.entrySet()) {
            if (closing) {
                return;
            }
            Running r = e.getValue();
            Instant now = clock.instant();
            boolean held;
            try {
                Instant until = now.plus(options.lease());
                held = store.writeUnsynced(tx -> tx.jobs().renew(e.getKey(), options.node(), until, now));
                if (held) {
                    r.leasedUntil = until;
                }
            } catch (RuntimeException ex) {
                held = now.isBefore(r.leasedUntil.minus(options.lease().dividedBy(3)));
                LOG.warn("renewing the lease of job {} failed{}", e.getKey(), held ? "; trying again"
                        : "; interrupting it before its lease runs out", ex);
            }
            if (!held) {
                LOG.info("job {} is no longer this node's (cancelled, or its lease ran out); interrupting it",
                        e.getKey());
                abandoned.add(e.getKey());
                if (!r.future.cancel(true)) {
                    abandoned.remove(e.getKey()); // it had already ended
                }
                running.remove(e.getKey(), r);
            }
        }
    }

    /** Stops polling and interrupts running jobs, whose leases then expire (see the class comment). */
    @Override
    public void close() {
        closing = true;
        control.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{} jobs did not stop within 5 s of an interrupt", running.size());
            }
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job running here, and until when its lease is known to be this node's. */
    private static final class Running {
        final Future<?> future;
        volatile Instant leasedUntil;

        Running(Future<?> future, Instant leasedUntil) {
            this.future = future;
            this.leasedUntil = leasedUntil;
        }
    }

    /** Progress reports, written at most once per {@link #PROGRESS_EVERY}. */
    private final class Context implements JobContext {
        private final JobRecord job;
        private Instant lastWrite = Instant.MIN;
        private String pendingText;
        private Integer pendingPercent;
        private boolean pending;

        Context(JobRecord job) {
            this.job = job;
        }

        @Override
        public JobRecord job() { return job; }

        @Override
        public void progress(String text, Integer percent) {
            pendingText = text;
            pendingPercent = percent;
            pending = true;
            Instant now = clock.instant();
            if (!now.isBefore(lastWrite.plus(PROGRESS_EVERY))) {
                lastWrite = now;
                flushProgress();
            }
        }

        void flushProgress() {
            if (!pending) {
                return;
            }
            pending = false;
            Instant now = clock.instant();
            // unsynced: progress is advisory, and the job's outcome is written with a sync right after
            store.writeUnsynced(tx -> tx.jobs().progress(job.id(), options.node(), pendingText, pendingPercent, now));
        }
    }
}
