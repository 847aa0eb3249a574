package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.lifecycle.LifecyclePolicy;
import io.berth.core.lifecycle.LifecyclePolicyParser;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.LifecyclePolicyRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent.Setting;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.util.Map;

/**
 * The lifecycle policies of one registry's repositories (PutLifecyclePolicy, GetLifecyclePolicy,
 * DeleteLifecyclePolicy). Text is validated by {@link LifecyclePolicyParser} and stored as submitted, since ECR
 * returns it verbatim. Each put and delete records a SETTING_CHANGED event in its own transaction.
 */
public final class LifecyclePolicies {
    private final MetadataStore metadata;
    private final RegistryId registryId;
    private final Clock clock;
    private final EventRecorder events;
    private final String actor;

    LifecyclePolicies(MetadataStore metadata, RegistryId registryId, Clock clock, EventRecorder events,
                      String actor) {
        this.metadata = metadata;
        this.registryId = registryId;
        this.clock = clock;
        this.events = events;
        this.actor = actor;
    }

    /** Validates and stores {@code text} as the repository's policy, replacing any; the record as stored. */
    public LifecyclePolicyView put(RepositoryName name, String text) {
        LifecyclePolicy policy = LifecyclePolicyParser.parse(text);
        return metadata.write(tx -> {
            RepositoryRecord r = repository(tx, name);
            tx.lifecyclePolicies().put(r.id(), text, clock.instant());
            events.append(tx, events.settingChanged(registryId, name.value(), Setting.LIFECYCLE_POLICY,
                    "set, " + policy.rules().size() + " rule(s)", actor));
            return LifecyclePolicyView.of(tx.lifecyclePolicies().get(r.id()).orElseThrow());
        });
    }

    /** LifecyclePolicyNotFound when the repository has none. */
    public LifecyclePolicyView get(RepositoryName name) {
        return metadata.read(tx -> tx.lifecyclePolicies().get(repository(tx, name).id()))
                .map(LifecyclePolicyView::of).orElseThrow(() -> notFound(name));
    }

    /** The deleted policy; LifecyclePolicyNotFound when the repository has none. */
    public LifecyclePolicyView delete(RepositoryName name) {
        return metadata.write(tx -> {
            LifecyclePolicyRecord deleted = tx.lifecyclePolicies().delete(repository(tx, name).id())
                    .orElseThrow(() -> notFound(name));
            events.append(tx, events.settingChanged(registryId, name.value(), Setting.LIFECYCLE_POLICY, "deleted",
                    actor));
            return LifecyclePolicyView.of(deleted);
        });
    }

    private RepositoryRecord repository(MetadataStore.Tx tx, RepositoryName name) {
        return tx.repositories().get(registryId, name).orElseThrow(() -> new RegistryException(
                ErrorCode.NAME_UNKNOWN, "The repository with name '" + name + "' does not exist in the registry with id '"
                        + registryId + "'", Map.of("name", name.value())));
    }

    private RegistryException notFound(RepositoryName name) {
        return new RegistryException(ErrorCode.LIFECYCLE_POLICY_NOT_FOUND, "Lifecycle policy does not exist for the "
                + "repository with name '" + name + "' in the registry with id '" + registryId + "'");
    }
}
