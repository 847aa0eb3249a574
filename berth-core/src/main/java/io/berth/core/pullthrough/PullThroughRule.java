package io.berth.core.pullthrough;

import io.berth.core.spi.meta.PullThroughRuleRecord;
import java.time.Instant;

/**
 * A pull-through cache rule as the planes see it (see {@link PullThroughRuleRecord} for the fields).
 * @param prefix without the trailing {@code /}, or {@code ROOT}
 * @param upstreamRegistry ECR's kind, or null for any other OCI registry
 */
public record PullThroughRule(String prefix, String upstreamRegistryUrl, String upstreamRegistry,
                              String credentialArn, String customRoleArn, String upstreamRepositoryPrefix,
                              Instant createdAt, Instant updatedAt) {
    static PullThroughRule of(PullThroughRuleRecord r) {
        return new PullThroughRule(r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(), r.credentialArn(),
                r.customRoleArn(), r.upstreamRepositoryPrefix(), r.createdAt(), r.updatedAt());
    }

    PullThroughRuleRecord stored() {
        return new PullThroughRuleRecord(PullThroughRules.normalizePrefix(prefix), upstreamRegistryUrl,
                upstreamRegistry, credentialArn, customRoleArn, upstreamRepositoryPrefix, createdAt, updatedAt);
    }
}
