package io.berth.core.spi.meta;

import io.berth.core.model.TagMutability;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A repository creation template row: the settings a repository that Berth creates on a caller's behalf (push,
 * later pull-through cache and replication) starts with, for names under {@code prefix}.
 *
 * @param prefix           the namespace without a trailing {@code /}, or {@code ROOT} for every other name
 * @param encryptionType   {@code AES256}, {@code KMS} or {@code KMS_DSSE}
 * @param kmsKey           a full KMS key ARN, or null
 * @param resourceTags     key to value, in the order given
 * @param repositoryPolicy policy text as submitted (validated by the server), or null
 * @param lifecyclePolicy  lifecycle policy text as submitted, or null
 * @param appliedFor       {@code CREATE_ON_PUSH}, {@code PULL_THROUGH_CACHE}, {@code REPLICATION}; never empty
 * @param customRoleArn    the IAM role ARN ECR would assume, or null
 */
public record CreationTemplateRecord(String prefix, String description, String encryptionType, String kmsKey,
                                     Map<String, String> resourceTags, TagMutability tagMutability,
                                     List<String> exclusionFilters, String repositoryPolicy, String lifecyclePolicy,
                                     Set<String> appliedFor, String customRoleArn, Instant createdAt,
                                     Instant updatedAt) {
    public CreationTemplateRecord {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(encryptionType, "encryptionType");
        Objects.requireNonNull(tagMutability, "tagMutability");
        resourceTags = resourceTags == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(resourceTags));
        exclusionFilters = exclusionFilters == null ? List.of() : List.copyOf(exclusionFilters);
        appliedFor = appliedFor == null ? Set.of() : java.util.Collections.unmodifiableSet(
                new java.util.TreeSet<>(appliedFor));
    }
}
