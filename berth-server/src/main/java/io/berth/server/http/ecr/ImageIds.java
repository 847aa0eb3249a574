package io.berth.server.http.ecr;

import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.ImageCatalog;
import java.util.Optional;

/**
 * Resolves an ECR ImageIdentifier for the batch operations, which report per-id failures instead of throwing. The
 * failure codes are the model's ImageFailureCode values; reasons follow ECR's (as moto records them).
 */
final class ImageIds {
    private ImageIds() {}

    /** Either a digest (with the tag it was asked by, if any) or a failure. */
    record Resolved(Digest digest, Tag tag, Shapes.ImageFailure failure) {}

    static Resolved resolve(ImageCatalog images, RepositoryName repo, Shapes.ImageIdentifier id) {
        if (id == null || (id.imageDigest() == null && id.imageTag() == null)) {
            return failed(id, "MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null");
        }
        Digest digest = null;
        if (id.imageDigest() != null) {
            try {
                digest = Validation.digest("imageDigest", id.imageDigest());
            } catch (RegistryException e) {
                return failed(id, "InvalidImageDigest", "Invalid request parameters: image digest should satisfy "
                        + "the regex '" + Validation.DIGEST_PATTERN + "'");
            }
        }
        Tag tag = null;
        if (id.imageTag() != null) {
            try {
                tag = Tag.of(id.imageTag());
            } catch (RegistryException e) {
                return failed(id, "InvalidImageTag", "Invalid request parameters: image tag is invalid");
            }
            Optional<Digest> target = images.resolve(repo, tag);
            if (target.isEmpty()) {
                return failed(id, "ImageNotFound", "Requested image not found");
            }
            if (digest != null && !digest.equals(target.get())) {
                return failed(id, "ImageTagDoesNotMatchDigest", "Invalid request parameters: image tag does not "
                        + "match digest");
            }
            digest = target.get();
        }
        return new Resolved(digest, tag, null);
    }

    static Resolved failed(Shapes.ImageIdentifier id, String code, String reason) {
        return new Resolved(null, null, new Shapes.ImageFailure(id, code, reason));
    }
}
