package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.CreationTemplateRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.util.List;
import java.util.Optional;

/**
 * The repository creation templates of one registry: create, read, update, delete, and which template applies to a
 * new repository. The server validated every field before it calls here; this class owns existence and matching.
 */
public final class CreationTemplates {
    private final MetadataStore metadata;
    private final RegistryId registryId;

    CreationTemplates(MetadataStore metadata, RegistryId registryId) {
        this.metadata = metadata;
        this.registryId = registryId;
    }

    /** TemplateAlreadyExists when the prefix has one. */
    public CreationTemplate create(CreationTemplate template) {
        CreationTemplate t = normalized(template);
        boolean created = metadata.write(tx -> tx.templates().create(registryId, t.stored()));
        if (!created) {
            throw new RegistryException(ErrorCode.TEMPLATE_ALREADY_EXISTS, "The repository creation template with "
                    + "prefix '" + t.prefix() + "' already exists in the registry with id '" + registryId + "'");
        }
        return t;
    }

    /** Replaces the template of the prefix (its creation time kept); TemplateNotFound when there is none. */
    public CreationTemplate update(CreationTemplate template) {
        CreationTemplate t = normalized(template);
        return metadata.write(tx -> {
            CreationTemplateRecord current = tx.templates().get(registryId, t.prefix())
                    .orElseThrow(() -> notFound(t.prefix()));
            CreationTemplate kept = new CreationTemplate(t.prefix(), t.description(), t.encryptionType(), t.kmsKey(),
                    t.resourceTags(), t.tagMutability(), t.exclusionFilters(), t.repositoryPolicy(),
                    t.lifecyclePolicy(), t.appliedFor(), t.customRoleArn(), current.createdAt(), t.updatedAt());
            tx.templates().update(registryId, kept.stored());
            return kept;
        });
    }

    /** The deleted template; TemplateNotFound when there was none. */
    public CreationTemplate delete(String prefix) {
        String p = CreationTemplate.normalizePrefix(prefix);
        return metadata.write(tx -> {
            CreationTemplateRecord current = tx.templates().get(registryId, p).orElseThrow(() -> notFound(p));
            tx.templates().delete(registryId, p);
            return CreationTemplate.of(current);
        });
    }

    /** TemplateNotFound when the prefix has none. */
    public CreationTemplate require(String prefix) {
        return find(prefix).orElseThrow(() -> notFound(CreationTemplate.normalizePrefix(prefix)));
    }

    public Optional<CreationTemplate> find(String prefix) {
        String p = CreationTemplate.normalizePrefix(prefix);
        return metadata.read(tx -> tx.templates().get(registryId, p)).map(CreationTemplate::of);
    }

    /** Templates in prefix order after {@code afterPrefix} (null for the start), at most {@code limit}. */
    public List<CreationTemplate> list(String afterPrefix, int limit) {
        return metadata.read(tx -> tx.templates().list(registryId, afterPrefix, limit)).stream()
                .map(CreationTemplate::of).toList();
    }

    /**
     * The template a new repository {@code name} gets for {@code use} (CREATE_ON_PUSH, PULL_THROUGH_CACHE,
     * REPLICATION): of the templates applied for {@code use}, the one with the longest prefix that is a namespace of
     * the name ({@code team} matches {@code team/app} and {@code team/a/b}, not {@code teamx/app} nor {@code team}
     * itself), else {@code ROOT} when it is applied for {@code use}. A more specific template applied only for other
     * uses does not hide a shorter one: ECR picks among the templates that apply.
     */
    public Optional<CreationTemplate> match(RepositoryName name, String use) {
        return metadata.read(tx -> {
            String n = name.value();
            for (int slash = n.lastIndexOf('/'); slash > 0; slash = n.lastIndexOf('/', slash - 1)) {
                Optional<CreationTemplateRecord> t = tx.templates().get(registryId, n.substring(0, slash))
                        .filter(r -> r.appliedFor().contains(use));
                if (t.isPresent()) {
                    return t;
                }
            }
            return tx.templates().get(registryId, CreationTemplate.ROOT).filter(r -> r.appliedFor().contains(use));
        }).map(CreationTemplate::of);
    }

    private static CreationTemplate normalized(CreationTemplate t) {
        String p = CreationTemplate.normalizePrefix(t.prefix());
        return p.equals(t.prefix()) ? t : new CreationTemplate(p, t.description(), t.encryptionType(), t.kmsKey(),
                t.resourceTags(), t.tagMutability(), t.exclusionFilters(), t.repositoryPolicy(), t.lifecyclePolicy(),
                t.appliedFor(), t.customRoleArn(), t.createdAt(), t.updatedAt());
    }

    private RegistryException notFound(String prefix) {
        return new RegistryException(ErrorCode.TEMPLATE_NOT_FOUND, "The repository creation template with prefix '"
                + prefix + "' does not exist in the registry with id '" + registryId + "'");
    }
}
