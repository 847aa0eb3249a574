package io.berth.core.service;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data plane of every registry (account) on this node: one {@link RegistryService} per registry ID, all
 * sharing the stores and one read cache. Which registry a request addresses is the caller's decision (the OCI plane
 * takes it from the Host name, the ECR API from the caller's account).
 */
public final class RegistryServices {
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Clock clock;
    private final ServiceOptions options;
    private final ReadCache cache;
    private final PullRecorder pulls;
    private final ConcurrentHashMap<RegistryId, RegistryService> services = new ConcurrentHashMap<>();

    public RegistryServices(BlobStore blobs, MetadataStore metadata, Clock clock, ServiceOptions options) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.clock = clock;
        this.options = options;
        this.cache = new ReadCache(options.tagCacheTtl());
        this.pulls = new PullRecorder(metadata, clock);
    }

    public RegistryService forRegistry(RegistryId registryId) {
        return services.computeIfAbsent(registryId,
                id -> new StoreBackedRegistryService(blobs, metadata, id, clock, options, cache, pulls));
    }

    /** The control-plane operations on the repositories of one registry (the ECR API's). */
    public RepositoryAdmin admin(RegistryId registryId) {
        return new RepositoryAdmin(metadata, cache, registryId, clock);
    }

    /** The image-level queries and deletes of one registry (the ECR API's). */
    public ImageCatalog images(RegistryId registryId) {
        return new ImageCatalog(metadata, cache, registryId);
    }

    /** Drops cached state of a deleted repository so a re-created one is looked up afresh. */
    public void repositoryDeleted(RegistryId registryId, io.berth.core.model.RepositoryName name) {
        cache.removeRepository(registryId, name);
    }
}
