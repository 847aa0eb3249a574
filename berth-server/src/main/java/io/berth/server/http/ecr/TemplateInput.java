package io.berth.server.http.ecr;

import io.berth.core.error.RegistryException;
import io.berth.core.lifecycle.LifecyclePolicyParser;
import io.berth.core.model.RegistryId;
import io.berth.core.model.TagMutability;
import io.berth.core.policy.PolicyParser;
import io.berth.core.service.CreationTemplate;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The fields of Create/UpdateRepositoryCreationTemplate, validated as ECR does, and the template's wire shape. */
final class TemplateInput {
    static final Pattern PREFIX = Pattern.compile("^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)"
            + "[a-z0-9]+)*)*\\/?|ROOT)$");
    /** Templates take a full key ARN only (not an alias or key ID, as CreateRepository does). */
    static final Pattern KMS_KEY = Pattern.compile("^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\\/[a-z0-9-]+");
    static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[-a-z0-9]*:iam::([0-9]{12}):role\\/[A-Za-z0-9+=,.@_/-]+$");

    private TemplateInput() {}

    /** The fields both requests carry; {@code appliedFor} is required on create only. */
    record Fields(String prefix, String description, Shapes.EncryptionConfiguration encryptionConfiguration,
                  List<Shapes.Tag> resourceTags, String imageTagMutability,
                  List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters,
                  String repositoryPolicy, String lifecyclePolicy, List<String> appliedFor, String customRoleArn) {}

    record RepositoryCreationTemplate(String prefix, String description,
                                      Shapes.EncryptionConfiguration encryptionConfiguration,
                                      List<Shapes.Tag> resourceTags, String imageTagMutability,
                                      List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters,
                                      String repositoryPolicy, String lifecyclePolicy, List<String> appliedFor,
                                      String customRoleArn, BigDecimal createdAt, BigDecimal updatedAt) {
        static RepositoryCreationTemplate of(CreationTemplate t) {
            return new RepositoryCreationTemplate(t.prefix(), t.description(),
                    new Shapes.EncryptionConfiguration(t.encryptionType(), t.kmsKey()),
                    t.resourceTags().entrySet().stream().map(e -> new Shapes.Tag(e.getKey(), e.getValue())).toList(),
                    t.tagMutability().name(), Shapes.filters(t.exclusionFilters()), t.repositoryPolicy(),
                    t.lifecyclePolicy(), List.copyOf(t.appliedFor()), t.customRoleArn(), Shapes.epoch(t.createdAt()),
                    Shapes.epoch(t.updatedAt()));
        }
    }

    static String prefix(String prefix) {
        ModelConstraints.required("prefix", prefix);
        ModelConstraints.length("prefix", prefix, 1, 256);
        ModelConstraints.pattern("prefix", prefix, PREFIX);
        return CreationTemplate.normalizePrefix(prefix);
    }

    /**
     * The template {@code f} describes on top of {@code base} (null on create): a field left out keeps the base's
     * value, as UpdateRepositoryCreationTemplate changes only what it is given.
     */
    static CreationTemplate template(Fields f, CreationTemplate base, RegistryId registry, java.time.Instant now) {
        String prefix = prefix(f.prefix());
        ModelConstraints.length("description", f.description(), 0, 256);
        String encryptionType = base == null ? "AES256" : base.encryptionType();
        String kmsKey = base == null ? null : base.kmsKey();
        if (f.encryptionConfiguration() != null) {
            encryptionType = ModelConstraints.required("encryptionConfiguration.encryptionType",
                    f.encryptionConfiguration().encryptionType());
            ModelConstraints.oneOf("encryptionConfiguration.encryptionType", encryptionType,
                    List.of("AES256", "KMS", "KMS_DSSE"));
            kmsKey = f.encryptionConfiguration().kmsKey();
            ModelConstraints.length("encryptionConfiguration.kmsKey", kmsKey, 0, 2048);
            ModelConstraints.pattern("encryptionConfiguration.kmsKey", kmsKey, KMS_KEY);
            if (kmsKey != null && kmsKey.isEmpty()) {
                kmsKey = null;
            }
            if (kmsKey != null && encryptionType.equals("AES256")) {
                throw Validation.invalid("encryptionConfiguration.kmsKey",
                        "kmsKey can only be specified when encryptionType is KMS or KMS_DSSE");
            }
        }
        Map<String, String> tags = base == null ? Map.of() : base.resourceTags();
        if (f.resourceTags() != null) {
            ModelConstraints.size("resourceTags", f.resourceTags(), 0, 50);
            tags = SettingsInput.tags(f.resourceTags());
        }
        TagMutability mutability = base == null ? TagMutability.MUTABLE : base.tagMutability();
        List<String> filters = base == null ? List.of() : base.exclusionFilters();
        if (f.imageTagMutability() != null || f.imageTagMutabilityExclusionFilters() != null) {
            String mode = f.imageTagMutability() != null ? f.imageTagMutability() : mutability.name();
            mutability = SettingsInput.mutability(mode, f.imageTagMutabilityExclusionFilters());
            filters = SettingsInput.filterValues(f.imageTagMutabilityExclusionFilters());
        }
        String policy = base == null ? null : base.repositoryPolicy();
        if (f.repositoryPolicy() != null) {
            ModelConstraints.length("repositoryPolicy", f.repositoryPolicy(), 0, 10240);
            policy = f.repositoryPolicy().isEmpty() ? null : f.repositoryPolicy();
            if (policy != null) {
                PolicyParser.repository().parse(policy); // InvalidParameterException naming what is wrong
            }
        }
        String lifecycle = base == null ? null : base.lifecyclePolicy();
        if (f.lifecyclePolicy() != null) {
            ModelConstraints.length("lifecyclePolicy", f.lifecyclePolicy(), 0, 30720);
            lifecycle = f.lifecyclePolicy().isEmpty() ? null : lifecyclePolicy(f.lifecyclePolicy());
        }
        Set<String> appliedFor = base == null ? null : base.appliedFor();
        if (base == null || f.appliedFor() != null) {
            appliedFor = appliedFor(f.appliedFor());
        }
        String role = base == null ? null : base.customRoleArn();
        if (f.customRoleArn() != null) {
            role = f.customRoleArn().isEmpty() ? null : customRoleArn(f.customRoleArn(), registry);
        }
        String description = f.description() != null ? f.description() : base == null ? null : base.description();
        return new CreationTemplate(prefix, description, encryptionType, kmsKey, tags, mutability, filters, policy,
                lifecycle, appliedFor, role, base == null ? now : base.createdAt(), now);
    }

    private static Set<String> appliedFor(List<String> values) {
        ModelConstraints.required("appliedFor", values);
        ModelConstraints.size("appliedFor", values, 1, 3);
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            ModelConstraints.required("appliedFor.member", v);
            ModelConstraints.oneOf("appliedFor.member", v, CreationTemplate.APPLIED_FOR);
            out.add(v);
        }
        return out;
    }

    /** ECR assumes the role in the registry's own account, so a role of another account is refused. */
    private static String customRoleArn(String arn, RegistryId registry) {
        ModelConstraints.length("customRoleArn", arn, 0, 2048);
        ModelConstraints.pattern("customRoleArn", arn, ROLE_ARN);
        java.util.regex.Matcher m = ROLE_ARN.matcher(arn);
        if (m.matches() && !m.group(1).equals(registry.value())) {
            throw Validation.invalid("customRoleArn", "The custom role must be in the same account as the registry '"
                    + registry + "'");
        }
        return arn;
    }

    /** Validated as PutLifecyclePolicy validates, so a repository created from the template gets a valid policy. */
    private static String lifecyclePolicy(String text) {
        try {
            LifecyclePolicyParser.parseDocument(text);
        } catch (RegistryException e) {
            throw Validation.invalid("lifecyclePolicy", e.getMessage());
        }
        return text;
    }
}
