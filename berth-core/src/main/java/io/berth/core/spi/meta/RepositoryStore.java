package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface RepositoryStore {

    Optional<RepositoryRecord> get(RegistryId registryId, RepositoryName name);

    /** Returns the existing repository or creates it; safe when two transactions race to create the same name. */
    RepositoryRecord getOrCreate(RegistryId registryId, RepositoryName name, Instant now);

    /**
     * Repositories of a registry in name order (byte order of the name), strictly after {@code afterName} when it is
     * given, at most {@code limit}.
     */
    List<RepositoryRecord> list(RegistryId registryId, String afterName, int limit);

    /** Deletes the repository and every row that belongs to it (tags, manifests, links, uploads). */
    boolean delete(long repositoryId);
}
