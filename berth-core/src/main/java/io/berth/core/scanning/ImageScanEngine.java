package io.berth.core.scanning;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;

/**
 * Scans one image: reads its layers, lists its packages and matches them against the vulnerability data. The
 * implementation lives in {@code berth-scanner}; the job that calls it, and the stores, are here. It never throws
 * for a bad image: hostile or broken content is a FAILED or UNSUPPORTED_IMAGE outcome with its reason.
 */
public interface ImageScanEngine {

    ScanOutcome scan(RegistryId registry, RepositoryName repository, Digest digest) throws Exception;

    /**
     * The rescan of a continuous-scanning image after a data update: the inventory an earlier scan stored matched
     * again against the new data, without reading the layers; a full {@link #scan} when no inventory is stored.
     */
    default ScanOutcome rematch(RegistryId registry, RepositoryName repository, Digest digest) throws Exception {
        return scan(registry, repository, digest);
    }
}
