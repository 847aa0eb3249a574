package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.ImageCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BatchDeleteImage: by tag untags (the last tag takes the image with it), by digest deletes the image and all its
 * tags. An image an index lists is protected while the index exists (ImageReferencedByManifestList).
 */
final class BatchDeleteImageAction implements EcrAction<BatchDeleteImageAction.BatchDeleteImageRequest,
        BatchDeleteImageAction.BatchDeleteImageResponse> {

    record BatchDeleteImageRequest(String registryId, String repositoryName, List<Shapes.ImageIdentifier> imageIds)
            implements EcrTarget.InRepository {}

    record BatchDeleteImageResponse(List<Shapes.ImageIdentifier> imageIds, List<Shapes.ImageFailure> failures) {}

    @Override
    public Class<BatchDeleteImageRequest> requestType() { return BatchDeleteImageRequest.class; }

    @Override
    public BatchDeleteImageResponse handle(EcrCall call, BatchDeleteImageRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("imageIds", q.imageIds());
        Validation.size("imageIds", q.imageIds(), 1, 100);
        call.admin().require(repo);
        ImageCatalog images = call.images();
        List<Shapes.ImageIdentifier> deleted = new ArrayList<>();
        List<Shapes.ImageFailure> failures = new ArrayList<>();
        for (Shapes.ImageIdentifier id : q.imageIds()) {
            ImageIds.Resolved r = ImageIds.resolve(images, repo, id);
            if (r.failure() != null) {
                failures.add(r.failure());
            } else if (id.imageDigest() == null) {
                untag(images, repo, id, r.tag(), deleted, failures);
            } else {
                deleteImage(images, repo, id, r.digest(), deleted, failures);
            }
        }
        return new BatchDeleteImageResponse(deleted, failures);
    }

    private static void untag(ImageCatalog images, RepositoryName repo, Shapes.ImageIdentifier id, Tag tag,
                              List<Shapes.ImageIdentifier> deleted, List<Shapes.ImageFailure> failures) {
        Optional<ImageCatalog.Untagged> u = images.untag(repo, tag);
        if (u.isEmpty()) {
            failures.add(new Shapes.ImageFailure(id, "ImageNotFound", "Requested image not found"));
        } else {
            deleted.add(new Shapes.ImageIdentifier(u.get().digest().toString(), tag.value()));
        }
    }

    private static void deleteImage(ImageCatalog images, RepositoryName repo, Shapes.ImageIdentifier id,
                                    Digest digest, List<Shapes.ImageIdentifier> deleted,
                                    List<Shapes.ImageFailure> failures) {
        Optional<List<Tag>> tags;
        try {
            tags = images.deleteImage(repo, digest);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.STILL_REFERENCED) {
                throw e;
            }
            failures.add(new Shapes.ImageFailure(id, "ImageReferencedByManifestList", e.getMessage()));
            return;
        }
        if (tags.isEmpty()) {
            failures.add(new Shapes.ImageFailure(id, "ImageNotFound", "Requested image not found"));
        } else if (tags.get().isEmpty()) {
            deleted.add(new Shapes.ImageIdentifier(digest.toString(), null));
        } else {
            tags.get().forEach(t -> deleted.add(new Shapes.ImageIdentifier(digest.toString(), t.value())));
        }
    }
}
