package io.berth.server.config;

import io.berth.core.job.RunnerOptions;
import java.time.Duration;
import java.util.List;

/**
 * {@code jobs.*}: how this node's job runner runs background work (GC, prunes, lifecycle evaluation, and the jobs
 * events trigger). Each node has its own runner; over PostgreSQL they share the queue.
 *
 * @param threads      jobs this node runs at once, on threads of their own (Jetty's are for requests)
 * @param poll         how often the runner looks for due jobs; one this node enqueues starts at once
 * @param lease        how long a job stays this node's without a renewal: another node takes over a dead node's
 *                     job at most this long after it died
 * @param retryBackoff the wait before a failed job's first retry; each further retry waits twice as long
 * @param retryBackoffMax the longest wait between retries
 */
public record JobsConfig(int threads, Duration poll, Duration lease, Duration retryBackoff,
                         Duration retryBackoffMax) {
    public static final ConfigKey THREADS = ConfigKey.of("jobs.threads", "2");
    public static final ConfigKey POLL = ConfigKey.of("jobs.poll", "1s");
    public static final ConfigKey LEASE = ConfigKey.of("jobs.lease", "30s");
    public static final ConfigKey RETRY_BACKOFF = ConfigKey.of("jobs.retry-backoff", "10s");
    public static final ConfigKey RETRY_BACKOFF_MAX = ConfigKey.of("jobs.retry-backoff-max", "1h");

    static final ConfigSection<JobsConfig> SECTION = new ConfigSection<>("jobs",
            List.of(THREADS, POLL, LEASE, RETRY_BACKOFF, RETRY_BACKOFF_MAX), v -> new JobsConfig(
            (int) Math.min(v.number(THREADS, 1), 64), v.durationAtLeast(POLL, Duration.ofMillis(10)),
            v.durationAtLeast(LEASE, Duration.ofSeconds(1)), v.duration(RETRY_BACKOFF),
            v.durationAtLeast(RETRY_BACKOFF_MAX, Duration.ofSeconds(1))));

    /** The runner's options for node {@code node}. */
    public RunnerOptions runnerOptions(String node, boolean singleNode) {
        return new RunnerOptions(node, threads, poll, lease, retryBackoff, retryBackoffMax, singleNode);
    }
}
