package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.ReferencedRowMissingException;
import io.berth.core.spi.meta.RepositoryRecord;
import java.time.Clock;
import java.util.Optional;

/** Repository lookups with the read cache in front. */
final class Repositories {
    private final MetadataStore metadata;
    private final ReadCache cache;
    private final RegistryId registryId;
    private final Clock clock;

    private final CreateOnPush createOnPush;
    private final EventRecorder events;

    Repositories(MetadataStore metadata, ReadCache cache, RegistryId registryId, Clock clock,
                 CreateOnPush createOnPush, EventRecorder events) {
        this.createOnPush = createOnPush;
        this.events = events;
        this.metadata = metadata;
        this.cache = cache;
        this.registryId = registryId;
        this.clock = clock;
    }

    RegistryId registryId() {
        return registryId;
    }

    Optional<RepositoryRecord> find(RepositoryName name) {
        RepositoryRecord cached = cache.repository(registryId, name);
        if (cached != null) {
            return Optional.of(cached);
        }
        long stamp = cache.stamp();
        Optional<RepositoryRecord> found = metadata.read(tx -> tx.repositories().get(registryId, name));
        found.ifPresent(r -> cache.putRepository(r, stamp));
        return found;
    }

    RepositoryRecord require(RepositoryName name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** ECR's wording, so both APIs say the same thing about a missing repository. */
    RegistryException notFound(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "The repository with name '" + name
                + "' does not exist in the registry with id '" + registryId + "'",
                java.util.Map.of("name", name.value()));
    }

    /**
     * The repository a push writes to: created on demand as {@link CreateOnPush} says (from the matching
     * CREATE_ON_PUSH template), else NAME_UNKNOWN. Only a push that would create it asks {@code guard} first
     * (which throws to refuse), so pushing to an existing repository never needs {@code ecr:CreateRepository}.
     */
    RepositoryRecord forPush(RepositoryName name, CreateGuard guard, String actor) {
        if (createOnPush == CreateOnPush.NEVER) {
            return require(name);
        }
        Optional<RepositoryRecord> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        TemplatedCreation creation = new TemplatedCreation(metadata, registryId, clock, events, actor);
        Optional<CreationTemplate> template = creation.templateFor(name, CreationTemplate.CREATE_ON_PUSH);
        if (template.isEmpty() && createOnPush == CreateOnPush.TEMPLATE) {
            throw notFound(name);
        }
        RepositoryRecord record = creation.createRecord(name, template, guard);
        cache.putRepository(record);
        return record;
    }

    /**
     * Runs a push's write into {@code r}. When it fails for a missing referenced row because the repository was
     * deleted meanwhile (DeleteRepository racing the push), the client hears NAME_UNKNOWN, as if it had pushed a
     * moment later, and the cached record of the gone repository is dropped. Any other failure stays a fault.
     */
    <T> T writingInto(RepositoryRecord r, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (ReferencedRowMissingException e) {
            cache.removeRepository(registryId, r.name());
            boolean stillThere = metadata.read(tx -> tx.repositories().get(registryId, r.name()))
                    .filter(current -> current.id() == r.id()).isPresent();
            if (stillThere) {
                throw e;
            }
            throw notFound(r.name());
        }
    }
}
