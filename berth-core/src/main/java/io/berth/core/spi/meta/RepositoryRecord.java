package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import java.time.Instant;

/** A repository row. {@code id} is the surrogate key other rows use. */
public record RepositoryRecord(long id, RegistryId registryId, RepositoryName name, Instant createdAt,
                               RepositorySettings settings) {

    public RepositoryRecord {
        settings = settings == null ? RepositorySettings.DEFAULT : settings;
    }

    public RepositoryRecord(long id, RegistryId registryId, RepositoryName name, Instant createdAt) {
        this(id, registryId, name, createdAt, RepositorySettings.DEFAULT);
    }
}
