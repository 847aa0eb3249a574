package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.Objects;

/**
 * A repository's lifecycle policy as stored: the text exactly as the user submitted it (ECR returns it verbatim),
 * when it was last put, and when it was last evaluated ({@code null} until the first evaluation).
 */
public record LifecyclePolicyRecord(String text, Instant updatedAt, Instant lastEvaluatedAt) {
    public LifecyclePolicyRecord {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
