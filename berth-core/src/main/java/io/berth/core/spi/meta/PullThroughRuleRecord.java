package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.Objects;

/**
 * A pull-through cache rule row: repositories under {@code prefix} are copies of an upstream registry's.
 *
 * @param prefix                   the ECR repository prefix without its trailing {@code /}, or {@code ROOT}
 * @param upstreamRegistryUrl      as given: a host (ECR's form, {@code https://} assumed) or a full URL
 * @param upstreamRegistry         ECR's kind ({@code docker-hub}, {@code quay}, …), or null for any OCI registry
 * @param credentialArn            a Secrets Manager secret ARN, or null
 * @param customRoleArn            an IAM role ARN, or null
 * @param upstreamRepositoryPrefix the upstream namespace the prefix maps onto, {@code ROOT} for none
 */
public record PullThroughRuleRecord(String prefix, String upstreamRegistryUrl, String upstreamRegistry,
                                    String credentialArn, String customRoleArn, String upstreamRepositoryPrefix,
                                    Instant createdAt, Instant updatedAt) {
    public PullThroughRuleRecord {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(upstreamRegistryUrl, "upstreamRegistryUrl");
        Objects.requireNonNull(upstreamRepositoryPrefix, "upstreamRepositoryPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
