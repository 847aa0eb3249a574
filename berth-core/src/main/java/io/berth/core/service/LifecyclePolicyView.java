package io.berth.core.service;

import io.berth.core.spi.meta.LifecyclePolicyRecord;
import java.time.Instant;

/** A repository's lifecycle policy as the planes see it; {@code lastEvaluatedAt} is null until evaluated. */
public record LifecyclePolicyView(String text, Instant updatedAt, Instant lastEvaluatedAt) {
    static LifecyclePolicyView of(LifecyclePolicyRecord r) {
        return new LifecyclePolicyView(r.text(), r.updatedAt(), r.lastEvaluatedAt());
    }
}
