package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.ImageArchive;
import io.berth.core.service.ImageStorageView;
import java.util.List;

/**
 * UpdateImageStorageClass: ARCHIVE moves the image to the archive storage class (ARCHIVED at once), STANDARD starts a
 * restore (ACTIVATING, then ACTIVE when the restore job has brought its blobs back). Asking for the class the image
 * is in already, or is on its way to, answers its status and changes nothing.
 */
final class UpdateImageStorageClassAction implements EcrAction<
        UpdateImageStorageClassAction.UpdateImageStorageClassRequest,
        UpdateImageStorageClassAction.UpdateImageStorageClassResponse> {

    record UpdateImageStorageClassRequest(String registryId, String repositoryName, Shapes.ImageIdentifier imageId,
                                          String targetStorageClass) implements EcrTarget.InRepository {}

    record UpdateImageStorageClassResponse(String registryId, String repositoryName, Shapes.ImageIdentifier imageId,
                                           String imageStatus) {}

    @Override
    public Class<UpdateImageStorageClassRequest> requestType() { return UpdateImageStorageClassRequest.class; }

    @Override
    public UpdateImageStorageClassResponse handle(EcrCall call, UpdateImageStorageClassRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("imageId", q.imageId());
        Validation.required("targetStorageClass", q.targetStorageClass());
        Validation.oneOf("targetStorageClass", q.targetStorageClass(), List.of("STANDARD", "ARCHIVE"));
        call.admin().require(repo);
        ImageIds.Resolved r = ImageIds.resolve(call.images(), repo, q.imageId());
        if (r.failure() != null) {
            throw switch (r.failure().failureCode()) {
                case "ImageNotFound" -> notFound(call, repo, q.imageId());
                case "ImageTagDoesNotMatchDigest" -> notFound(call, repo, q.imageId());
                default -> new RegistryException(ErrorCode.INVALID_PARAMETER, r.failure().failureReason());
            };
        }
        ImageArchive archive = call.archive();
        ImageStorageView state;
        try {
            state = q.targetStorageClass().equals("ARCHIVE") ? archive.archive(repo, r.digest())
                    : archive.restore(repo, r.digest());
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN) {
                throw notFound(call, repo, q.imageId()); // deleted between the lookup and the change
            }
            throw e;
        }
        return new UpdateImageStorageClassResponse(call.registryId.value(), repo.value(),
                new Shapes.ImageIdentifier(r.digest().toString(), q.imageId().imageTag()), state.status().name());
    }

    private static RegistryException notFound(EcrCall call, RepositoryName repo, Shapes.ImageIdentifier id) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "The image with imageId {imageDigest:'"
                + id.imageDigest() + "', imageTag:'" + id.imageTag() + "'} does not exist within the repository "
                + "with name '" + repo + "' in the registry with id '" + call.registryId + "'");
    }
}
