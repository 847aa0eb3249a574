package io.berth.core.signing;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.StoredManifest;

/**
 * Asked before a manifest is handed out on either API (a {@code /v2} manifest GET or HEAD, ECR's BatchGetImage):
 * Berth's verification on pull, which ECR leaves to the cluster.
 */
@FunctionalInterface
public interface PullGate {
    PullGate OPEN = (registry, repository, manifest) -> { };

    /** Throws {@code DENIED} with the reason when the manifest may not be pulled. */
    void check(RegistryId registry, RepositoryName repository, StoredManifest manifest);

    /** Throws {@code DENIED} when the blob (a layer or config) belongs only to images that may not be pulled. */
    default void checkBlob(RegistryId registry, RepositoryName repository, io.berth.core.model.Digest blob) { }
}
