package io.berth.core.service;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;

/** {@link RegistryService} over a {@link BlobStore} and a {@link MetadataStore}. */
public abstract class StoreBackedRegistryService implements RegistryService {
    protected StoreBackedRegistryService(BlobStore blobs, MetadataStore metadata, RegistryId registryId, Clock clock) {
    }
}
