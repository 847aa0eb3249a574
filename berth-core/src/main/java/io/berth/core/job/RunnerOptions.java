package io.berth.core.job;

import java.time.Duration;

/**
 * How a {@link JobRunner} runs.
 *
 * @param node         names this runner in leases ({@code lease_owner}); unique per process
 * @param threads      jobs run at once on this node, on the runner's own threads
 * @param poll         how often it looks for due jobs (an enqueue on this node looks at once)
 * @param lease        how long a claimed job stays this node's without a renewal; renewed every third of it, so
 *                     another node takes a job over at most this long after its node died
 * @param backoffBase  the delay before the first retry; each further retry waits twice as long
 * @param backoffMax   the longest delay between retries
 * @param singleNode   the database has no other runner (SQLite): a lease left by another runner is a dead
 *                     process's, so {@link JobRunner#start} ends it and the job resumes at once, not a lease later
 */
public record RunnerOptions(String node, int threads, Duration poll, Duration lease, Duration backoffBase,
                            Duration backoffMax, boolean singleNode) {
    public RunnerOptions {
        if (threads < 1 || poll.isNegative() || poll.isZero() || lease.compareTo(Duration.ofMillis(30)) < 0) {
            throw new IllegalArgumentException("a runner needs threads >= 1, a positive poll and a lease >= 30 ms");
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based): base, 2 base, 4 base, ... at most backoffMax. */
    public Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = backoffBase.toMillis() << doublings;
        return millis <= 0 || millis > backoffMax.toMillis() ? backoffMax : Duration.ofMillis(millis);
    }
}
