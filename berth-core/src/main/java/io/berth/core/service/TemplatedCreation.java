package io.berth.core.service;

import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.util.Optional;

/**
 * "Create from template": how Berth creates a repository on a caller's behalf rather than by CreateRepository. A
 * push creates through here (CREATE_ON_PUSH); pull-through cache and replication are to call the same with their
 * {@code appliedFor}. The matching template's tag mutability and exclusions, encryption configuration (exactly as
 * CreateRepository would receive it), resource tags, repository policy and lifecycle policy are written with the
 * repository in one transaction, so no one sees the repository without them (the lifecycle policy was validated
 * when the template was written).
 */
public final class TemplatedCreation {
    private final MetadataStore metadata;
    private final RegistryId registryId;
    private final Clock clock;
    private final CreationTemplates templates;
    private final EventRecorder events;
    private final String actor;

    /** @param actor whom the REPOSITORY_CREATED event names (an ARN, or an {@link EventRecorder} name) */
    TemplatedCreation(MetadataStore metadata, RegistryId registryId, Clock clock, EventRecorder events,
                      String actor) {
        this.metadata = metadata;
        this.registryId = registryId;
        this.clock = clock;
        this.templates = new CreationTemplates(metadata, registryId);
        this.events = events;
        this.actor = actor;
    }

    /** The template {@link #create} would use for {@code name} and {@code use}. */
    public Optional<CreationTemplate> templateFor(RepositoryName name, String use) {
        return templates.match(name, use);
    }

    /**
     * Creates {@code name} with the settings of {@code template} (empty: ECR's defaults), asking {@code guard}
     * first. When the repository exists by then (a concurrent creator won), that repository is returned unchanged.
     */
    public RepositoryView create(RepositoryName name, Optional<CreationTemplate> template, CreateGuard guard) {
        return RepositoryView.of(createRecord(name, template, guard));
    }

    RepositoryRecord createRecord(RepositoryName name, Optional<CreationTemplate> template, CreateGuard guard) {
        return createRecord(name, template, null, guard);
    }

    /**
     * Replication's creation: with {@code template}'s settings when there is one, else with {@code otherwise}
     * (the source repository's settings) rather than the defaults.
     */
    public RepositoryView create(RepositoryName name, Optional<CreationTemplate> template,
                                 io.berth.core.spi.meta.RepositorySettings otherwise, CreateGuard guard) {
        return RepositoryView.of(createRecord(name, template, otherwise, guard));
    }

    private RepositoryRecord createRecord(RepositoryName name, Optional<CreationTemplate> template,
                                          io.berth.core.spi.meta.RepositorySettings otherwise, CreateGuard guard) {
        guard.beforeCreate(name);
        io.berth.core.spi.meta.RepositorySettings settings = template.map(t -> t.settings().stored())
                .orElse(otherwise != null ? otherwise : RepositoryView.Settings.DEFAULT.stored());
        return metadata.write(tx -> {
            Optional<RepositoryRecord> created = tx.repositories().create(registryId, name, settings,
                    clock.instant());
            if (created.isEmpty()) {
                return tx.repositories().get(registryId, name).orElseThrow(() -> new IllegalStateException(
                        "repository " + name + " neither created nor found"));
            }
            template.ifPresent(t -> {
                if (!t.resourceTags().isEmpty()) {
                    tx.repositories().putResourceTags(created.get().id(), t.resourceTags());
                }
                if (t.repositoryPolicy() != null && !t.repositoryPolicy().isEmpty()) {
                    tx.policies().put(PolicyKey.repository(registryId, name.value()), t.repositoryPolicy());
                }
                if (t.lifecyclePolicy() != null && !t.lifecyclePolicy().isEmpty()) {
                    tx.lifecyclePolicies().put(created.get().id(), t.lifecyclePolicy(), clock.instant());
                }
            });
            // one event per creation: of two racing creators only the one whose insert won gets here
            events.append(tx, events.repositoryCreated(registryId, name, actor));
            return created.get();
        });
    }
}
