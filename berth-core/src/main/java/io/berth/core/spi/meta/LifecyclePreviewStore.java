package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Lifecycle policy previews, one per repository by repository ID, with their results; deleting the repository
 * deletes them.
 */
public interface LifecyclePreviewStore {

    Optional<LifecyclePreviewRecord> get(long repositoryId);

    /**
     * Starts a preview of {@code policyText} (IN_PROGRESS), replacing a finished one and its results; false (and
     * nothing changes) while one is IN_PROGRESS.
     */
    boolean start(long repositoryId, String policyText, Instant now);

    /** Stores the results (positions 0..n-1) and marks it COMPLETE; false unless one is IN_PROGRESS. */
    boolean complete(long repositoryId, List<LifecyclePreviewResult> results, Instant now);

    /** Marks it FAILED with {@code error}; false unless one is IN_PROGRESS. */
    boolean fail(long repositoryId, String error, Instant now);

    /** Results in position order after {@code afterPosition} (-1 for the first), at most {@code limit}. */
    List<LifecyclePreviewResult> results(long repositoryId, int afterPosition, int limit);
}
