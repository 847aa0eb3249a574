package io.berth.core.spi.meta;

import java.time.Instant;

/**
 * A repository's lifecycle policy preview (StartLifecyclePolicyPreview): the policy text it evaluates, its state, and
 * once COMPLETE the totals of its results. A repository has at most one; a new start replaces a finished one.
 *
 * @param error               why it FAILED, else null
 * @param expiringCount       images the preview expires (COMPLETE only; else 0)
 * @param transitioningCount  images the preview archives (COMPLETE only; else 0)
 */
public record LifecyclePreviewRecord(String policyText, Status status, Instant startedAt, Instant finishedAt,
                                     String error, int expiringCount, int transitioningCount) {
    /** ECR's LifecyclePolicyPreviewStatus, less EXPIRED (Berth keeps a preview until the next start). */
    public enum Status { IN_PROGRESS, COMPLETE, FAILED }
}
