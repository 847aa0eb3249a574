package io.berth.server.http.ecr;

import io.berth.core.model.Reference;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.StoredManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchGetImage: manifests by tag or digest with per-id failures; counts as a pull (lastRecordedPullTime). An
 * archived image is a failure, as its /v2 pull is a 404. In a pull-through cache repository it pulls through, as a
 * /v2 pull does (the first one creates the repository; a tag is re-checked upstream after the refresh interval),
 * and an upstream failure is the id's {@code UpstreamUnavailable}, as ECR reports it.
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
        boolean cache = call.pullThrough() != null && call.pullThrough().covers(call.registryId, repo);
        if (!cache) {
            call.admin().require(repo);
        }
        List<Shapes.Image> images = new ArrayList<>();
        List<Shapes.ImageFailure> failures = new ArrayList<>();
        for (Shapes.ImageIdentifier id : q.imageIds()) {
            StoredManifest m;
            try {
                if (cache) {
                    // through the cache, as a /v2 pull: the first answer may be served before it is stored
                    m = call.data().getManifest(repo, reference(id));
                    if (id.imageDigest() != null && !m.digest().toString().equals(id.imageDigest())) {
                        failures.add(new Shapes.ImageFailure(id, "ImageTagDoesNotMatchDigest",
                                "Invalid image tag for digest"));
                        continue;
                    }
                } else {
                    ImageIds.Resolved r = ImageIds.resolve(call.images(), repo, id);
                    if (r.failure() != null) {
                        failures.add(r.failure());
                        continue;
                    }
                    m = call.data().getManifest(repo, new Reference.ByDigest(r.digest()));
                }
            } catch (io.berth.core.error.RegistryException e) {
                if (e.code() == io.berth.core.error.ErrorCode.KMS_KEY_UNUSABLE) {
                    throw e; // the repository's key, not this image: the whole call fails, as ECR's KmsException
                }
                if (e.code() == io.berth.core.error.ErrorCode.UPSTREAM_IMAGE_UNAVAILABLE
                        || e.code() == io.berth.core.error.ErrorCode.UPSTREAM_LAYER_UNAVAILABLE) {
                    failures.add(new Shapes.ImageFailure(id, "UpstreamUnavailable", e.getMessage()));
                    continue;
                }
                if (e.code() == io.berth.core.error.ErrorCode.DENIED || e.code().httpStatus() == 401
                        || e.code() == io.berth.core.error.ErrorCode.INVALID_PARAMETER
                        || e.code() == io.berth.core.error.ErrorCode.DIGEST_INVALID
                        || e.code() == io.berth.core.error.ErrorCode.TAG_INVALID_FORMAT) {
                    throw e;
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
            // verification on pull refuses the whole call, as an ECR caller without permission would be
            call.signing().verification().check(call.registryId, repo, m);
            call.countPull(repo); // each image handed out is a pull, as each /v2 manifest GET is
            images.add(new Shapes.Image(call.registryId.value(), repo.value(),
                    new Shapes.ImageIdentifier(m.digest().toString(), id.imageTag()),
                    new String(m.content(), StandardCharsets.UTF_8), m.mediaType()));
        }
        return new BatchGetImageResponse(images, failures);
    }

    /** The id as a reference: its tag when it names one, else its digest; InvalidParameter for neither. */
    private static Reference reference(Shapes.ImageIdentifier id) {
        if (id.imageTag() != null) {
            return new Reference.ByTag(io.berth.core.model.Tag.of(id.imageTag()));
        }
        if (id.imageDigest() != null) {
            return new Reference.ByDigest(io.berth.core.model.Digest.parse(id.imageDigest()));
        }
        throw new io.berth.core.error.RegistryException(io.berth.core.error.ErrorCode.INVALID_PARAMETER,
                "Invalid parameter at 'imageIds' failed to satisfy constraint: 'an image id needs an imageDigest or "
                + "an imageTag'");
    }
}
