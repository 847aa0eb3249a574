package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface RepositoryStore {

    Optional<RepositoryRecord> get(RegistryId registryId, RepositoryName name);

    /** Returns the existing repository or creates it; safe when two transactions race to create the same name. */
    RepositoryRecord getOrCreate(RegistryId registryId, RepositoryName name, Instant now);

    /**
     * Creates the repository with {@code settings}; empty when it already exists (then nothing changes). Two
     * transactions racing to create one name: exactly one gets the record.
     */
    Optional<RepositoryRecord> create(RegistryId registryId, RepositoryName name, RepositorySettings settings,
                                      Instant now);

    /** Replaces the settings; false when the repository is gone. */
    boolean updateSettings(long repositoryId, RepositorySettings settings);

    /**
     * Repositories of a registry in name order (byte order of the name), strictly after {@code afterName} when it is
     * given, at most {@code limit}.
     */
    List<RepositoryRecord> list(RegistryId registryId, String afterName, int limit);

    /**
     * Repositories strictly before {@code beforeName}, nearest first (descending name order), at most {@code limit}:
     * the console's "previous page" link, keyset paging backwards.
     */
    List<RepositoryRecord> listBefore(RegistryId registryId, String beforeName, int limit);

    /**
     * The names {@link #list} would return, without the rest of each row: {@code _catalog} needs only names, and
     * building a thousand full records was most of its cost.
     */
    default List<RepositoryName> listNames(RegistryId registryId, String afterName, int limit) {
        return list(registryId, afterName, limit).stream().map(RepositoryRecord::name).toList();
    }

    /**
     * Names of the registry's repositories that link the blob, in name order strictly after {@code afterName} when
     * it is given, at most {@code limit}: the candidates of a mount without {@code from}.
     */
    List<RepositoryName> namesLinking(RegistryId registryId, Digest digest, String afterName, int limit);

    /** Deletes the repository and every row that belongs to it (tags, manifests, links, uploads, resource tags). */
    boolean delete(long repositoryId);

    /** The repository's resource (AWS) tags, key to value, in key order. */
    Map<String, String> resourceTags(long repositoryId);

    /** Adds or overwrites resource tags. */
    void putResourceTags(long repositoryId, Map<String, String> tags);

    /** Removes resource tags by key (absent keys are ignored). */
    void removeResourceTags(long repositoryId, Collection<String> keys);
}
