package io.berth.core.service;

import io.berth.core.model.TagMutability;
import io.berth.core.spi.meta.CreationTemplateRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A repository creation template as the services hand it to the HTTP planes (the storage row without its registry);
 * field meanings as in {@link CreationTemplateRecord}. The settings a created repository gets are
 * {@link #settings()}, {@link #resourceTags()} and {@link #repositoryPolicy()}.
 */
public record CreationTemplate(String prefix, String description, String encryptionType, String kmsKey,
                               Map<String, String> resourceTags, TagMutability tagMutability,
                               List<String> exclusionFilters, String repositoryPolicy, String lifecyclePolicy,
                               Set<String> appliedFor, String customRoleArn, Instant createdAt, Instant updatedAt) {
    /** The prefix that matches every repository no other template's prefix matches. */
    public static final String ROOT = "ROOT";
    public static final String CREATE_ON_PUSH = "CREATE_ON_PUSH";
    public static final String PULL_THROUGH_CACHE = "PULL_THROUGH_CACHE";
    public static final String REPLICATION = "REPLICATION";
    public static final List<String> APPLIED_FOR = List.of(PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH);

    public CreationTemplate {
        CreationTemplateRecord checked = new CreationTemplateRecord(prefix, description, encryptionType, kmsKey,
                resourceTags, tagMutability, exclusionFilters, repositoryPolicy, lifecyclePolicy, appliedFor,
                customRoleArn, createdAt, updatedAt);
        resourceTags = checked.resourceTags();
        exclusionFilters = checked.exclusionFilters();
        appliedFor = checked.appliedFor();
    }

    /**
     * The settings a repository created from this template starts with: what CreateRepository would receive for
     * the same mutability and encryption configuration (ECR's templates carry no scan-on-push setting).
     */
    public RepositoryView.Settings settings() {
        return new RepositoryView.Settings(tagMutability, exclusionFilters, false, encryptionType, kmsKey);
    }

    static CreationTemplate of(CreationTemplateRecord r) {
        return new CreationTemplate(r.prefix(), r.description(), r.encryptionType(), r.kmsKey(), r.resourceTags(),
                r.tagMutability(), r.exclusionFilters(), r.repositoryPolicy(), r.lifecyclePolicy(), r.appliedFor(),
                r.customRoleArn(), r.createdAt(), r.updatedAt());
    }

    CreationTemplateRecord stored() {
        return new CreationTemplateRecord(prefix, description, encryptionType, kmsKey, resourceTags, tagMutability,
                exclusionFilters, repositoryPolicy, lifecyclePolicy, appliedFor, customRoleArn, createdAt, updatedAt);
    }

    /** The stored form of a prefix: ECR implies the trailing {@code /}, so {@code team/} and {@code team} are one. */
    public static String normalizePrefix(String prefix) {
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
