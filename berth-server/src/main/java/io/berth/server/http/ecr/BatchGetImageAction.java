package io.berth.server.http.ecr;

import io.berth.core.model.Reference;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.StoredManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchGetImage: manifests by tag or digest with per-id failures; counts as a pull (lastRecordedPullTime). An
 * archived image is a failure, as its /v2 pull is a 404.
 */
final class BatchGetImageAction
        implements EcrAction<BatchGetImageAction.BatchGetImageRequest, BatchGetImageAction.BatchGetImageResponse> {

    record BatchGetImageRequest(String registryId, String repositoryName, List<Shapes.ImageIdentifier> imageIds,
                                List<String> acceptedMediaTypes) implements EcrTarget.InRepository {}

    record BatchGetImageResponse(List<Shapes.Image> images, List<Shapes.ImageFailure> failures) {}

    @Override
    public Class<BatchGetImageRequest> requestType() { return BatchGetImageRequest.class; }

    @Override
    public BatchGetImageResponse handle(EcrCall call, BatchGetImageRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("imageIds", q.imageIds());
        Validation.size("imageIds", q.imageIds(), 1, 100);
        Validation.size("acceptedMediaTypes", q.acceptedMediaTypes(), 1, 100);
        call.admin().require(repo);
        List<Shapes.Image> images = new ArrayList<>();
        List<Shapes.ImageFailure> failures = new ArrayList<>();
        for (Shapes.ImageIdentifier id : q.imageIds()) {
            ImageIds.Resolved r = ImageIds.resolve(call.images(), repo, id);
            if (r.failure() != null) {
                failures.add(r.failure());
                continue;
            }
            StoredManifest m;
            try {
                m = call.data().getManifest(repo, new Reference.ByDigest(r.digest()));
            } catch (io.berth.core.error.RegistryException e) {
                if (e.code() == io.berth.core.error.ErrorCode.KMS_KEY_UNUSABLE) {
                    throw e; // the repository's key, not this image: the whole call fails, as ECR's KmsException
                }
                // an archived image cannot be pulled: ImageFailureCode has no archive value, so ImageNotFound, with
                // a reason that says why
                failures.add(new Shapes.ImageFailure(id, "ImageNotFound", e.detail() instanceof java.util.Map<?, ?> d
                        && d.containsKey("imageStatus") ? "Requested image is archived (imageStatus "
                        + d.get("imageStatus") + ") and cannot be pulled; restore it with UpdateImageStorageClass"
                        : "Requested image not found"));
                continue;
            }
            if (q.acceptedMediaTypes() != null && !q.acceptedMediaTypes().contains(m.mediaType())) {
                // Berth does not convert between manifest formats, so a type the client cannot take is not found
                failures.add(new Shapes.ImageFailure(id, "ImageNotFound",
                        "Requested image not found in any of the accepted media types"));
                continue;
            }
            call.countPull(repo); // each image handed out is a pull, as each /v2 manifest GET is
            images.add(new Shapes.Image(call.registryId.value(), repo.value(),
                    new Shapes.ImageIdentifier(m.digest().toString(), id.imageTag()),
                    new String(m.content(), StandardCharsets.UTF_8), m.mediaType()));
        }
        return new BatchGetImageResponse(images, failures);
    }
}
