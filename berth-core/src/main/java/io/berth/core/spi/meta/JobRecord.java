package io.berth.core.spi.meta;

import java.time.Instant;

/**
 * One background job as stored: what to do ({@code kind} on {@code target}), where it stands, and who holds it.
 *
 * @param target          what the job works on (a repository, a digest), or the empty string for the whole registry
 * @param uniqueKey       at most one unfinished job has this key (null: no such limit)
 * @param attempts        runs started so far; a retry after a failure or a lost lease starts another
 * @param nextRunAt       when a QUEUED job becomes due (after a failure: the backoff's end)
 * @param progressPercent 0..100, or null when the handler reports none
 * @param leaseOwner      the runner that holds a RUNNING job, until {@code leaseExpiresAt}
 */
public record JobRecord(long id, String kind, String target, String uniqueKey, JobState state, int attempts,
                        int maxAttempts, Instant nextRunAt, String progress, Integer progressPercent,
                        String lastError, String leaseOwner, Instant leaseExpiresAt, Instant createdAt,
                        Instant updatedAt) {}
