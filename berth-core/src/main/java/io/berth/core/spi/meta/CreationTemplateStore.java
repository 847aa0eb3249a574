package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.util.List;
import java.util.Optional;

/** Repository creation templates of each registry, keyed by prefix (see {@link CreationTemplateRecord}). */
public interface CreationTemplateStore {

    Optional<CreationTemplateRecord> get(RegistryId registryId, String prefix);

    /** Inserts the template; false (and nothing changes) when the registry has one for that prefix already. */
    boolean create(RegistryId registryId, CreationTemplateRecord template);

    /** Replaces the template of {@code template.prefix()}, keeping its {@code createdAt}; false when there is none. */
    boolean update(RegistryId registryId, CreationTemplateRecord template);

    /** False when there was no template for the prefix. */
    boolean delete(RegistryId registryId, String prefix);

    /** Templates in prefix order (byte order), strictly after {@code afterPrefix} when given, at most {@code limit}. */
    List<CreationTemplateRecord> list(RegistryId registryId, String afterPrefix, int limit);
}
