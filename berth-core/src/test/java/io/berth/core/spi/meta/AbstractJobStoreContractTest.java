package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.JobStore.Change;
import io.berth.core.spi.meta.MetadataStore.Tx;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.JobStore.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The {@link JobStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractJobStoreContractTest extends AbstractStoreContractTest {

    private static final List<String> GC = List.of("gc");
    private static final Duration LEASE = Duration.ofSeconds(30);

    private JobRecord enqueue(String kind, String key, int maxAttempts, Instant runAt) {
        return w((Tx tx) -> tx.jobs().enqueue(new NewJob(kind, "", key, maxAttempts, runAt), T0)).orElseThrow();
    }

    private List<JobRecord> claim(String owner, int limit, Instant now) {
        return w((Tx tx) -> tx.jobs().claim(GC, owner, limit, now, now.plus(LEASE)));
    }

    private JobRecord get(long id) {
        return r((Tx tx) -> tx.jobs().get(id)).orElseThrow();
    }

    @Test
    void enqueue_thenClaim_leasesTheDueJobToOneOwner_andCountsAnAttempt() {
        JobRecord queued = enqueue("gc", null, 3, T0);
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        assertThat(queued.attempts()).isZero();

        List<JobRecord> claimed = claim("node-a", 10, T0);
        assertThat(claimed).as("claim at the job's due time by node-a").extracting(JobRecord::id)
                .containsExactly(queued.id());
        JobRecord running = claimed.get(0);
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.leaseOwner()).isEqualTo("node-a");
        assertThat(running.leaseExpiresAt()).isEqualTo(T0.plus(LEASE));
        assertThat(claim("node-b", 10, T0)).as("a second claim while node-a holds the lease").isEmpty();
    }

    @Test
    void claim_takesOnlyDueJobsOfTheGivenKinds_oldestDueFirst_upToTheLimit() {
        JobRecord later = enqueue("gc", null, 1, T0.plusSeconds(60));
        JobRecord second = enqueue("gc", null, 1, T0.plusSeconds(2));
        JobRecord first = enqueue("gc", null, 1, T0.plusSeconds(1));
        enqueue("scan", null, 1, T0);
        assertThat(r((Tx tx) -> tx.jobs().anyDue(GC, T0))).as("due gc jobs at T0").isFalse();
        assertThat(r((Tx tx) -> tx.jobs().anyDue(GC, T0.plusSeconds(5)))).as("due gc jobs at T0+5s").isTrue();

        assertThat(claim("n", 1, T0.plusSeconds(5))).extracting(JobRecord::id).containsExactly(first.id());
        assertThat(claim("n", 10, T0.plusSeconds(5))).as("the scan job is not claimed for kind gc")
                .extracting(JobRecord::id).containsExactly(second.id());
        assertThat(get(later.id()).state()).as("not due until T0+60s").isEqualTo(JobState.QUEUED);
    }

    @Test
    void expiredLease_makesTheJobDueForAnotherOwner_renewalKeepsIt() {
        JobRecord job = enqueue("gc", null, 3, T0);
        claim("node-a", 1, T0);
        Instant beforeExpiry = T0.plus(LEASE).minusSeconds(1);
        assertThat(w((Tx tx) -> tx.jobs().renew(job.id(), "node-a", beforeExpiry.plus(LEASE), beforeExpiry)))
                .as("node-a renews before its lease ends").isTrue();
        assertThat(claim("node-b", 1, T0.plus(LEASE))).as("claim at the original expiry, after a renewal").isEmpty();
        w((Tx tx) -> tx.jobs().progress(job.id(), "node-a", "half way", 50, beforeExpiry));

        Instant afterRenewedExpiry = beforeExpiry.plus(LEASE);
        List<JobRecord> taken = claim("node-b", 1, afterRenewedExpiry);
        assertThat(taken).as("claim by node-b once node-a stopped renewing").extracting(JobRecord::leaseOwner)
                .containsExactly("node-b");
        assertThat(taken.get(0).attempts()).as("the takeover is a second attempt").isEqualTo(2);
        assertThat(taken.get(0).progress()).as("progress of node-b's attempt, after node-a reported 'half way'")
                .isNull();
        assertThat(w((Tx tx) -> tx.jobs().renew(job.id(), "node-a", afterRenewedExpiry.plus(LEASE), afterRenewedExpiry)))
                .as("node-a renewing a lease it lost").isFalse();
        assertThat(w((Tx tx) -> tx.jobs().succeed(job.id(), "node-a", afterRenewedExpiry)))
                .as("node-a finishing a job it lost").isFalse();
        assertThat(w((Tx tx) -> tx.jobs().succeed(job.id(), "node-b", afterRenewedExpiry))).isTrue();
        assertThat(get(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(get(job.id()).leaseOwner()).as("lease owner of a finished job").isNull();
    }

    @Test
    void expireLeasesNotHeldBy_makesOtherRunnersJobsDueAtOnce() {
        JobRecord dead = enqueue("gc", null, 3, T0);
        claim("dead-process", 1, T0);
        JobRecord mine = enqueue("gc", null, 3, T0);
        claim("me", 1, T0);
        Instant restart = T0.plusSeconds(1);
        assertThat(w((Tx tx) -> tx.jobs().expireLeasesNotHeldBy("me", restart))).as("leases ended").isEqualTo(1);
        assertThat(claim("me", 10, restart)).as("claim right after the restart, well within the old lease")
                .extracting(JobRecord::id).containsExactly(dead.id());
        assertThat(get(mine.id()).leaseExpiresAt()).as("me's own lease").isEqualTo(T0.plus(LEASE));
    }

    @Test
    void expiredLease_onTheLastAttempt_failsTheJobWithTheReason() {
        JobRecord job = enqueue("gc", null, 1, T0);
        claim("node-a", 1, T0);
        assertThat(claim("node-b", 1, T0.plus(LEASE))).as("claim after node-a died on attempt 1 of 1").isEmpty();
        JobRecord failed = get(job.id());
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.lastError()).contains("lease of node-a expired during attempt 1 of 1");
    }

    @Test
    void fail_requeuesAtTheRetryTime_untilTheLastAttempt_thenFailedWithTheError() {
        JobRecord job = enqueue("gc", null, 2, T0);
        claim("n", 1, T0);
        Instant retryAt = T0.plusSeconds(10);
        assertThat(w((Tx tx) -> tx.jobs().fail(job.id(), "n", "disk full", retryAt, T0))).contains(JobState.QUEUED);
        JobRecord queued = get(job.id());
        assertThat(queued.nextRunAt()).isEqualTo(retryAt);
        assertThat(queued.lastError()).isEqualTo("disk full");
        assertThat(claim("n", 1, retryAt.minusMillis(1))).as("claim before the backoff ends").isEmpty();

        assertThat(claim("n", 1, retryAt)).hasSize(1);
        assertThat(w((Tx tx) -> tx.jobs().fail(job.id(), "n", "disk still full", retryAt.plusSeconds(20), retryAt)))
                .as("failing attempt 2 of 2").contains(JobState.FAILED);
        JobRecord failed = get(job.id());
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.lastError()).isEqualTo("disk still full");
        assertThat(w((Tx tx) -> tx.jobs().fail(job.id(), "n", "again", retryAt, retryAt)))
                .as("failing a job no longer held").isEmpty();
    }

    @Test
    void uniqueKey_allowsOneUnfinishedJob_andTheNextOnceItFinished() {
        JobRecord first = enqueue("gc", "schedule:gc", 1, T0);
        Optional<JobRecord> twice = w((Tx tx) -> tx.jobs().enqueue(new NewJob("gc", "", "schedule:gc", 1, T0), T0));
        assertThat(twice).as("second enqueue under key schedule:gc while the first is queued").isEmpty();
        assertThat(r((Tx tx) -> tx.jobs().hasUnfinished("schedule:gc"))).isTrue();
        claim("n", 1, T0);
        assertThat(w((Tx tx) -> tx.jobs().enqueue(new NewJob("gc", "", "schedule:gc", 1, T0), T0)))
                .as("enqueue while the first runs").isEmpty();
        w((Tx tx) -> tx.jobs().succeed(first.id(), "n", T0));
        assertThat(r((Tx tx) -> tx.jobs().hasUnfinished("schedule:gc"))).isFalse();
        assertThat(w((Tx tx) -> tx.jobs().enqueue(new NewJob("gc", "", "schedule:gc", 1, T0), T0)))
                .as("enqueue after the first succeeded").isPresent();
        assertThat(w((Tx tx) -> tx.jobs().enqueue(new NewJob("gc", "", null, 1, T0), T0)))
                .as("jobs without a key are never refused").isPresent();
    }

    @Test
    void uniqueKey_underConcurrentEnqueues_admitsExactlyOne() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<Boolean> admitted = runConcurrently(() -> w((Tx tx) -> tx.jobs().enqueue(
                new NewJob("gc", "t" + n.incrementAndGet(), "once", 1, T0), T0)).isPresent());
        assertThat(admitted).as("%d concurrent enqueues under one key", THREADS).containsOnlyOnce(true);
    }

    @Test
    void concurrentClaims_neverLeaseOneJobTwice() throws Exception {
        for (int i = 0; i < 40; i++) {
            enqueue("gc", null, 1, T0);
        }
        AtomicInteger owner = new AtomicInteger();
        List<List<JobRecord>> batches = runConcurrently(() -> {
            String me = "node-" + owner.incrementAndGet();
            return w((Tx tx) -> tx.jobs().claim(GC, me, 5, T0, T0.plus(LEASE)));
        });
        Set<Long> ids = new HashSet<>();
        int total = 0;
        for (List<JobRecord> b : batches) {
            total += b.size();
            b.forEach(j -> ids.add(j.id()));
        }
        assertThat(total).as("%d claimers of 5 over 40 jobs", THREADS).isEqualTo(40);
        assertThat(ids).as("distinct jobs claimed").hasSize(40);
    }

    @Test
    void cancel_andRetry_moveBetweenStates_andSayWhyNot() {
        JobRecord job = enqueue("gc", "k", 2, T0);
        assertThat(w((Tx tx) -> tx.jobs().retry(job.id(), T0))).as("retry of a queued job").isEqualTo(Change.WRONG_STATE);
        claim("n", 1, T0);
        assertThat(w((Tx tx) -> tx.jobs().cancel(job.id(), T0))).isEqualTo(Change.DONE);
        assertThat(get(job.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(w((Tx tx) -> tx.jobs().renew(job.id(), "n", T0.plus(LEASE), T0)))
                .as("the runner renewing a cancelled job").isFalse();
        assertThat(w((Tx tx) -> tx.jobs().cancel(job.id(), T0))).isEqualTo(Change.WRONG_STATE);
        assertThat(w((Tx tx) -> tx.jobs().cancel(999_999, T0))).isEqualTo(Change.NOT_FOUND);

        JobRecord other = enqueue("gc", "k", 1, T0);
        assertThat(w((Tx tx) -> tx.jobs().retry(job.id(), T0))).as("retry while job %d holds key k", other.id())
                .isEqualTo(Change.KEY_IN_USE);
        w((Tx tx) -> tx.jobs().cancel(other.id(), T0));
        Instant later = T0.plusSeconds(5);
        assertThat(w((Tx tx) -> tx.jobs().retry(job.id(), later))).isEqualTo(Change.DONE);
        JobRecord retried = get(job.id());
        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.attempts()).as("attempts after a retry").isZero();
        assertThat(retried.nextRunAt()).isEqualTo(later);
        assertThat(w((Tx tx) -> tx.jobs().retry(999_999, T0))).isEqualTo(Change.NOT_FOUND);
    }

    @Test
    void progress_isRecordedForTheHolder_andList_filtersNewestFirst() {
        JobRecord gc = enqueue("gc", null, 1, T0);
        JobRecord scan = enqueue("scan", null, 1, T0);
        claim("n", 1, T0);
        assertThat(w((Tx tx) -> tx.jobs().progress(gc.id(), "n", "sweep 10 blobs", 40, T0))).isTrue();
        assertThat(w((Tx tx) -> tx.jobs().progress(gc.id(), "other", "x", null, T0))).as("progress by a non-holder")
                .isFalse();
        JobRecord running = get(gc.id());
        assertThat(running.progress()).isEqualTo("sweep 10 blobs");
        assertThat(running.progressPercent()).isEqualTo(40);
        w((Tx tx) -> tx.jobs().progress(gc.id(), "n", "mark", null, T0));
        assertThat(get(gc.id()).progressPercent()).as("percent after a report without one").isNull();

        assertThat(r((Tx tx) -> tx.jobs().list(new Query(null, null, 10)))).extracting(JobRecord::id)
                .containsExactly(scan.id(), gc.id());
        assertThat(r((Tx tx) -> tx.jobs().list(new Query(JobState.RUNNING, null, 10)))).extracting(JobRecord::id)
                .containsExactly(gc.id());
        assertThat(r((Tx tx) -> tx.jobs().list(new Query(null, "scan", 10)))).extracting(JobRecord::id)
                .containsExactly(scan.id());
        assertThat(r((Tx tx) -> tx.jobs().list(new Query(null, null, 1)))).hasSize(1);
    }

    @Test
    void deleteFinishedBefore_keepsUnfinishedAndRecentJobs() {
        JobRecord done = enqueue("gc", null, 1, T0);
        JobRecord queued = enqueue("gc", null, 1, T0.plusSeconds(3600));
        claim("n", 1, T0);
        w((Tx tx) -> tx.jobs().succeed(done.id(), "n", T0));
        assertThat(w((Tx tx) -> tx.jobs().deleteFinishedBefore(T0, 10))).as("finished before T0").isZero();
        assertThat(w((Tx tx) -> tx.jobs().deleteFinishedBefore(T0.plusSeconds(1), 10))).isEqualTo(1);
        assertThat(r((Tx tx) -> tx.jobs().get(done.id()))).isEmpty();
        assertThat(r((Tx tx) -> tx.jobs().get(queued.id()))).isPresent();
    }
}
