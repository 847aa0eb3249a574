package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable background jobs (see {@code io.berth.core.job.JobRunner}). Every method takes the time from its caller,
 * so leases and backoff are tested with a clock, not with sleeps.
 *
 * <p>Leasing: {@link #claim} turns due jobs into RUNNING ones held by one runner until a lease expiry that the
 * runner renews while it works. On PostgreSQL several nodes claim at once and {@code FOR UPDATE SKIP LOCKED} gives
 * each job to exactly one of them; on SQLite the single writer makes a plain claim safe. A job whose lease expired
 * (its node died) is due again. Every later write about a running job names the lease owner and does nothing when
 * that runner no longer holds it, so a node that lost its lease can never overwrite its successor's result.
 */
public interface JobStore {

    /** What to enqueue; {@code uniqueKey} null for a job that may exist any number of times. */
    record NewJob(String kind, String target, String uniqueKey, int maxAttempts, Instant runAt) {
        public NewJob {
            if (kind == null || kind.isBlank() || target == null) {
                throw new IllegalArgumentException("a job needs a kind and a target (\"\" for none)");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
        }
    }

    /** Filters of {@link #list}; null means any. */
    record Query(JobState state, String kind, int limit) {}

    /** The outcome of {@link #retry} and {@link #cancel}. */
    enum Change { DONE, NOT_FOUND, WRONG_STATE, KEY_IN_USE }

    /** Enqueues {@code job} as QUEUED; empty when an unfinished job already has its unique key. */
    Optional<JobRecord> enqueue(NewJob job, Instant now);

    Optional<JobRecord> get(long id);

    /** Whether an unfinished job has this key. */
    boolean hasUnfinished(String uniqueKey);

    /** Whether {@link #claim} would find anything for these kinds now: a cheap read before a write. */
    boolean anyDue(Collection<String> kinds, Instant now);

    /**
     * Leases up to {@code limit} due jobs of {@code kinds} to {@code owner} until {@code leaseUntil}, oldest due
     * first, counting an attempt each: QUEUED ones whose {@code nextRunAt} has come, and RUNNING ones whose lease
     * expired. An expired one that had used its last attempt is marked FAILED instead (its node died each time).
     */
    List<JobRecord> claim(Collection<String> kinds, String owner, int limit, Instant now, Instant leaseUntil);

    /**
     * Ends now every lease held by a runner other than {@code owner}, so {@link #claim} takes those jobs at once;
     * returns how many. Only for a database that one node uses (SQLite): a lease another runner holds there is a
     * dead process's.
     */
    int expireLeasesNotHeldBy(String owner, Instant now);

    /** Extends the lease; false when {@code owner} no longer holds the job (it expired and moved, or was cancelled). */
    boolean renew(long id, String owner, Instant leaseUntil, Instant now);

    /** Records progress of a running job; false when {@code owner} no longer holds it. */
    boolean progress(long id, String owner, String text, Integer percent, Instant now);

    /** RUNNING to SUCCEEDED; false when {@code owner} no longer holds it. */
    boolean succeed(long id, String owner, Instant now);

    /**
     * A failed attempt: back to QUEUED, due at {@code retryAt}, when attempts are left; FAILED otherwise. Keeps
     * {@code error} as the last error either way. Empty when {@code owner} no longer holds the job.
     */
    Optional<JobState> fail(long id, String owner, String error, Instant retryAt, Instant now);

    /** QUEUED or RUNNING to CANCELLED; a running one's runner learns of it at its next renewal. */
    Change cancel(long id, Instant now);

    /** FAILED or CANCELLED to QUEUED, due now, with its attempts reset. */
    Change retry(long id, Instant now);

    /** Newest first. */
    List<JobRecord> list(Query query);

    /** Deletes up to {@code limit} finished jobs last updated before {@code cutoff}; returns how many. */
    int deleteFinishedBefore(Instant cutoff, int limit);
}
