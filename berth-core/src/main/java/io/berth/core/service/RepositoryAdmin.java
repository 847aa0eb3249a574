package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.TagMutability;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PolicyStore;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.RegistryEvent.Setting;
import io.berth.core.spi.meta.RepositorySettings;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Repository management of one registry: create with settings, describe, delete, tag mutability and resource tags.
 * Reads here always go to the database (never the read cache): they are rare and must show the current settings.
 * Messages follow ECR's wording, since the ECR API is their main consumer.
 */
public final class RepositoryAdmin {
    /** ECR: "a maximum of 50 tags" per repository. */
    public static final int MAX_RESOURCE_TAGS = 50;

    private final MetadataStore metadata;
    private final ReadCache cache;
    private final RegistryId registryId;
    private final Clock clock;
    private final EventRecorder events;
    /** Who the events of this admin's changes name. */
    private final String actor;

    RepositoryAdmin(MetadataStore metadata, ReadCache cache, RegistryId registryId, Clock clock, EventRecorder events,
                    String actor) {
        this.metadata = metadata;
        this.cache = cache;
        this.registryId = registryId;
        this.clock = clock;
        this.events = events;
        this.actor = actor;
    }

    public RegistryId registryId() { return registryId; }

    /** Creates the repository with settings and resource tags in one transaction. */
    public RepositoryView create(RepositoryName name, RepositoryView.Settings settings, Map<String, String> tags) {
        checkTagCount(tags.size(), name);
        return RepositoryView.of(metadata.write(tx -> {
            RepositoryRecord created = tx.repositories().create(registryId, name, settings.stored(),
                            clock.instant())
                    .orElseThrow(() -> new RegistryException(ErrorCode.REPOSITORY_ALREADY_EXISTS,
                            "The repository with name '" + name + "' already exists in the registry with id '"
                                    + registryId + "'"));
            tx.repositories().putResourceTags(created.id(), tags);
            events.append(tx, events.repositoryCreated(registryId, name, actor));
            return created;
        }));
    }

    public Optional<RepositoryView> find(RepositoryName name) {
        return metadata.read(tx -> tx.repositories().get(registryId, name)).map(RepositoryView::of);
    }

    /** RepositoryNotFound (NAME_UNKNOWN) when absent. */
    public RepositoryView require(RepositoryName name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** Repositories in name order after {@code afterName} (null for the start), at most {@code limit}. */
    public List<RepositoryView> list(String afterName, int limit) {
        return metadata.read(tx -> tx.repositories().list(registryId, afterName, limit)).stream()
                .map(RepositoryView::of).toList();
    }

    /** Repositories strictly before {@code beforeName}, nearest first, at most {@code limit} (paging backwards). */
    public List<RepositoryView> listBefore(String beforeName, int limit) {
        return metadata.read(tx -> tx.repositories().listBefore(registryId, beforeName, limit)).stream()
                .map(RepositoryView::of).toList();
    }

    /**
     * Deletes the repository with its tags, manifests, links, uploads and resource tags; without {@code force} a
     * repository that still holds images is refused (RepositoryNotEmpty). Blob bytes are left to GC.
     */
    public RepositoryView delete(RepositoryName name, boolean force) {
        RepositoryRecord deleted = metadata.write(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, name).orElseThrow(() -> notFound(name));
            if (!force && !tx.manifests().list(r.id(), null, 1).isEmpty()) {
                throw new RegistryException(ErrorCode.REPOSITORY_NOT_EMPTY, "The repository with name '" + name
                        + "' in registry with id '" + registryId + "' cannot be deleted because it still contains "
                        + "images");
            }
            tx.repositories().delete(r.id());
            // the policy goes with the repository in the same transaction, as in ECR: a new repository of the same
            // name starts without one, and a crash can never leave a deleted repository's policy behind
            if (tx.policies().delete(PolicyStore.PolicyKey.repository(registryId, name.value()))) {
                events.append(tx, events.settingChanged(registryId, name.value(), Setting.REPOSITORY_POLICY,
                        "deleted", actor));
            }
            events.append(tx, events.repositoryDeleted(registryId, name, actor));
            return r;
        });
        cache.removeRepository(registryId, name);
        return RepositoryView.of(deleted);
    }

    public RepositoryView setTagMutability(RepositoryName name, TagMutability mutability, List<String> filters) {
        RepositoryRecord updated = metadata.write(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, name).orElseThrow(() -> notFound(name));
            RepositorySettings settings = r.settings().withMutability(mutability, filters);
            tx.repositories().updateSettings(r.id(), settings);
            events.append(tx, events.settingChanged(registryId, name.value(), Setting.TAG_MUTABILITY,
                    mutability + (filters.isEmpty() ? "" : " " + String.join(",", filters)), actor));
            return new RepositoryRecord(r.id(), r.registryId(), r.name(), r.createdAt(), settings);
        });
        cache.putRepository(updated); // the push path re-reads settings in its transaction anyway
        return RepositoryView.of(updated);
    }

    public Map<String, String> resourceTags(RepositoryName name) {
        return metadata.read(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, name).orElseThrow(() -> notFound(name));
            return tx.repositories().resourceTags(r.id());
        });
    }

    /** Adds or overwrites tags; the result may hold at most {@link #MAX_RESOURCE_TAGS} (TooManyTags). */
    public void tag(RepositoryName name, Map<String, String> tags) {
        metadata.write(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, name).orElseThrow(() -> notFound(name));
            Map<String, String> merged = new LinkedHashMap<>(tx.repositories().resourceTags(r.id()));
            merged.putAll(tags);
            checkTagCount(merged.size(), name);
            tx.repositories().putResourceTags(r.id(), tags);
            events.append(tx, events.settingChanged(registryId, name.value(), Setting.RESOURCE_TAGS,
                    "set " + String.join(",", tags.keySet()), actor));
            return null;
        });
    }

    public void untag(RepositoryName name, Collection<String> keys) {
        metadata.write(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, name).orElseThrow(() -> notFound(name));
            tx.repositories().removeResourceTags(r.id(), keys);
            events.append(tx, events.settingChanged(registryId, name.value(), Setting.RESOURCE_TAGS,
                    "removed " + String.join(",", keys), actor));
            return null;
        });
    }

    private static void checkTagCount(int count, RepositoryName name) {
        if (count > MAX_RESOURCE_TAGS) {
            throw new RegistryException(ErrorCode.TOO_MANY_TAGS, "The repository '" + name + "' would have "
                    + count + " tags; a resource can have at most " + MAX_RESOURCE_TAGS + " tags");
        }
    }

    private RegistryException notFound(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "The repository with name '" + name
                + "' does not exist in the registry with id '" + registryId + "'", Map.of("name", name.value()));
    }
}
