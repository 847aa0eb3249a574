package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.job.JobRunner;
import io.berth.core.job.JobSchedule;
import io.berth.core.job.RunnerOptions;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link JobRunner} over a real database: runs, progress, retries with backoff, schedules, cancellation and the
 * takeover of a stopped runner's job.
 */
abstract class AbstractJobRunnerTest extends JobRunnerFixture {

    @Test
    void enqueuedJob_runsOnce_succeeds_andKeepsItsLastProgress() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        JobRunner r = runner("node-a", handler("echo", ctx -> {
            runs.incrementAndGet();
            ctx.progress("first half", 50);
            ctx.progress("all of it", 100);
        }));
        JobRecord queued = r.enqueue("echo", "repo-a", null, 3).orElseThrow();
        JobRecord done = awaitState(queued.id(), JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(runs).as("runs of job %d", queued.id()).hasValue(1);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.target()).isEqualTo("repo-a");
        assertThat(done.progress()).as("progress after reports 'first half' then 'all of it' within a second")
                .isEqualTo("all of it");
        assertThat(done.progressPercent()).isEqualTo(100);
        assertThat(done.leaseOwner()).isNull();
    }

    @Test
    void failingJob_backsOffExponentially_thenIsFailedWithItsError() throws Exception {
        List<Instant> starts = Collections.synchronizedList(new ArrayList<>());
        JobRunner r = runner("node-a", handler("flaky", ctx -> {
            starts.add(Instant.now());
            throw new IllegalStateException("disk full on attempt " + ctx.job().attempts());
        }));
        long id = r.enqueue("flaky", "", null, 3).orElseThrow().id();
        JobRecord failed = awaitState(id, JobState.FAILED, Duration.ofSeconds(5));
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError()).isEqualTo("IllegalStateException: disk full on attempt 3");
        Thread.sleep(BACKOFF.toMillis() * 3);
        assertThat(starts).as("attempts of a job with max attempts 3").hasSize(3);
        assertThat(Duration.between(starts.get(0), starts.get(1))).as("wait before the first retry")
                .isGreaterThanOrEqualTo(BACKOFF);
        assertThat(Duration.between(starts.get(1), starts.get(2))).as("wait before the second retry (doubled)")
                .isGreaterThanOrEqualTo(BACKOFF.multipliedBy(2));
    }

    @Test
    void jobFailingOnce_succeedsOnItsRetry() throws Exception {
        JobRunner r = runner("node-a", handler("once", ctx -> {
            if (ctx.job().attempts() == 1) {
                throw new java.io.IOException("transient");
            }
        }));
        long id = r.enqueue("once", "", null, 3).orElseThrow().id();
        JobRecord done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(done.attempts()).as("attempts of a job failing only its first").isEqualTo(2);
        assertThat(done.lastError()).as("last error once it succeeded").isNull();
    }

    @Test
    void schedule_runsEveryInterval_oneRowPerOccurrence_neverTwoUnfinished() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        JobSchedule every = new JobSchedule("tick", "", Duration.ofMillis(100), Duration.ofMillis(20), 1);
        runner(store, "node-a", 2, List.of(handler("tick", ctx -> runs.incrementAndGet())), List.of(every));
        await(() -> store.read(tx -> tx.jobs().list(new JobStore.Query(JobState.SUCCEEDED, "tick", 100))).size() >= 3,
                Duration.ofSeconds(5), "three passes of a 100 ms schedule to succeed");
        assertThat(runs.get()).as("handler runs").isGreaterThanOrEqualTo(3);
        List<JobRecord> rows = store.read(tx -> tx.jobs().list(new JobStore.Query(null, "tick", 100)));
        assertThat(rows).as("rows of kind tick").allMatch(j -> "schedule:tick".equals(j.uniqueKey()));
        assertThat(rows.stream().filter(j -> j.state() == JobState.SUCCEEDED).count()).isGreaterThanOrEqualTo(3);
        assertThat(rows.stream().filter(j -> !j.state().finished()).count()).as("unfinished occurrences")
                .isEqualTo(1);
        List<JobRecord> succeeded = rows.stream().filter(j -> j.state() == JobState.SUCCEEDED)
                .sorted(java.util.Comparator.comparing(JobRecord::id)).toList();
        for (int i = 1; i < succeeded.size(); i++) {
            assertThat(Duration.between(succeeded.get(i - 1).updatedAt(), succeeded.get(i).nextRunAt()))
                    .as("occurrence %d due after its predecessor finished", succeeded.get(i).id())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }

    /** The store, except that unsynced writes (lease renewals) fail while {@code down} is set. */
    private record RenewalsFailing(MetadataStore delegate, java.util.concurrent.atomic.AtomicBoolean down)
            implements MetadataStore {
        @Override public <T> T read(java.util.function.Function<Tx, T> work) { return delegate.read(work); }
        @Override public <T> T write(java.util.function.Function<Tx, T> work) { return delegate.write(work); }

        @Override
        public <T> T writeUnsynced(java.util.function.Function<Tx, T> work) {
            if (down.get()) {
                throw new io.berth.core.spi.meta.MetadataException("database unreachable (injected)", null);
            }
            return delegate.writeUnsynced(work);
        }

        @Override public String describe() { return delegate.describe(); }
        @Override public void checkHealth() { delegate.checkHealth(); }
        @Override public void close() { }
    }

    @Test
    void leaseThatCannotBeRenewed_interruptsTheJobBeforeTheLeaseRunsOut() throws Exception {
        var down = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        List<Instant> interruptedAt = Collections.synchronizedList(new ArrayList<>());
        // a longer lease than the other tests': the runner gives up a third of it before the end, and that margin
        // must hold on a loaded machine
        Duration lease = Duration.ofMillis(1500);
        JobRunner r = new JobRunner(new RenewalsFailing(store, down), Clock.systemUTC(), new RunnerOptions("node-a",
                1, Duration.ofMillis(20), lease, BACKOFF, Duration.ofSeconds(1), false), List.of(handler("slow",
                ctx -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interruptedAt.add(Instant.now());
                        throw e;
                    }
                })), List.of());
        runners.add(r);
        r.start();
        long id = r.enqueue("slow", "", null, 3).orElseThrow().id();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(lease.toMillis()); // a few renewals succeed
        down.set(true);
        await(() -> !interruptedAt.isEmpty(), Duration.ofSeconds(5), "the handler to be interrupted");
        Instant leaseEnd = job(id).leaseExpiresAt();
        assertThat(interruptedAt.get(0)).as("interrupted once renewals failed; the stored lease ends %s", leaseEnd)
                .isBefore(leaseEnd);
    }

    @Test
    void occurrenceOfAScheduleThisRunnerDoesNotHave_isSkipped_notRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        runner("node-a", handler("tick", ctx -> runs.incrementAndGet()));
        long id = store.write(tx -> tx.jobs().enqueue(new JobStore.NewJob("tick", "", "schedule:tick", 1,
                Instant.now()), Instant.now())).orElseThrow().id();
        JobRecord done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(runs).as("handler runs for an occurrence of schedule:tick, which node-a does not schedule")
                .hasValue(0);
        assertThat(done.progress()).isEqualTo("skipped: schedule schedule:tick is off on node-a");
    }

    @Test
    void stoppedRunner_itsJobCompletesOnAnotherRunner_onceTheLeaseExpires() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobRunner dying = runner("node-a", handler("long", ctx -> {
            started.countDown();
            Thread.sleep(60_000);
        }));
        long id = dying.enqueue("long", "", null, 3).orElseThrow().id();
        assertThat(started.await(5, TimeUnit.SECONDS)).as("job %d started on node-a", id).isTrue();
        dying.close(); // as a node that dies: its lease is left to expire
        JobRecord orphan = job(id);
        assertThat(orphan.state()).as("state after node-a stopped mid-job").isEqualTo(JobState.RUNNING);
        assertThat(orphan.leaseOwner()).isEqualTo("node-a");

        List<String> ranOn = Collections.synchronizedList(new ArrayList<>());
        runner("node-b", handler("long", ctx -> ranOn.add(ctx.job().leaseOwner())));
        JobRecord done = awaitState(id, JobState.SUCCEEDED, Duration.ofSeconds(5));
        assertThat(ranOn).as("runners of job %d after node-a died", id).containsExactly("node-b");
        assertThat(done.attempts()).as("node-a's attempt and node-b's").isEqualTo(2);
        assertThat(done.updatedAt()).as("finished no earlier than node-a's lease expiry")
                .isAfterOrEqualTo(orphan.leaseExpiresAt());
    }

    @Test
    void cancellingARunningJob_interruptsItsHandler() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        JobRunner r = runner("node-a", handler("slow", ctx -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }));
        long id = r.enqueue("slow", "", null, 3).orElseThrow().id();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        JobStore.Change cancelled = store.write(tx -> tx.jobs().cancel(id, Instant.now()));
        assertThat(cancelled).isEqualTo(JobStore.Change.DONE);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("handler of job %d interrupted after cancel", id)
                .isTrue();
        await(() -> r.runningCount() == 0, Duration.ofSeconds(2), "the runner to let go of job " + id);
        assertThat(job(id).state()).isEqualTo(JobState.CANCELLED);
    }
}
