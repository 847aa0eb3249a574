package io.berth.core.job;

import java.time.Duration;

/**
 * A job the runner keeps enqueued: one occurrence every {@code interval} plus up to {@code jitter} at random, so
 * nodes started together do not all start their passes at the same moment. Each occurrence is a row of its own
 * under the key {@link #uniqueKey}, so at most one is unfinished across every node over the database; the runner
 * that finishes one enqueues the next in the same transaction.
 */
public record JobSchedule(String kind, String target, Duration interval, Duration jitter, int maxAttempts) {
    /** Every schedule's keys start with it; a job under such a key is one occurrence of a schedule. */
    public static final String KEY_PREFIX = "schedule:";

    public JobSchedule {
        if (interval.isZero() || interval.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("a schedule needs a positive interval and a jitter of 0 or more");
        }
    }

    /** Every {@code interval}, jittered by a tenth of it (at most a minute). */
    public static JobSchedule every(String kind, Duration interval, int maxAttempts) {
        Duration tenth = interval.dividedBy(10);
        return new JobSchedule(kind, "", interval, tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                : tenth, maxAttempts);
    }

    public String uniqueKey() {
        return KEY_PREFIX + kind + (target.isEmpty() ? "" : ":" + target);
    }
}
