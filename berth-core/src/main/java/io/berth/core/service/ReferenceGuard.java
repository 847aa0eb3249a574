package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.meta.MetadataStore;
import java.util.List;
import java.util.Map;

/**
 * The one rule every delete path applies, on both APIs: nothing a manifest of the repository still references may
 * go, or the registry would serve an image that cannot be pulled (an index listing a child that answers 404, a
 * manifest whose layer answers 404). Checked inside the deleting transaction, so a concurrent push of the
 * referencing manifest cannot slip between the check and the delete unseen.
 */
final class ReferenceGuard {
    private ReferenceGuard() {}

    /** Refuses when an index of the repository lists {@code manifest} (ECR's ImageReferencedByManifestList). */
    static void requireNotListed(MetadataStore.Tx tx, long repositoryId, Digest manifest) {
        List<Digest> parents = tx.manifests().parentsOf(repositoryId, manifest);
        if (!parents.isEmpty()) {
            throw new RegistryException(ErrorCode.STILL_REFERENCED, "Requested image referenced by manifest list: "
                    + parents + "; delete the index first", Map.of("digest", manifest.toString()));
        }
    }

    /** Refuses when a manifest of the repository references {@code blob} as its config or a layer. */
    static void requireUnreferencedBlob(MetadataStore.Tx tx, long repositoryId, Digest blob) {
        if (tx.manifests().referencesBlob(repositoryId, blob)) {
            throw new RegistryException(ErrorCode.STILL_REFERENCED, "blob " + blob + " is referenced by a manifest "
                    + "in the repository; delete the manifest first", Map.of("digest", blob.toString()));
        }
    }
}
