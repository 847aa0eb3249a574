package io.berth.core.lifecycle;

import io.berth.core.lifecycle.LifecyclePolicy.ActionType;
import io.berth.core.lifecycle.LifecyclePolicy.StorageClass;
import io.berth.core.model.Digest;

/**
 * What evaluation decided for one image: the rule that acts on it ({@code rulePriority}), and the action.
 * {@code targetStorageClass} is null for an expiry. {@code cascadedFrom} is the subject's digest when the image is a
 * referrer that follows its subject, else null.
 */
public record LifecycleDecision(Digest digest, int rulePriority, ActionType action, StorageClass targetStorageClass,
                                Digest cascadedFrom) {}
