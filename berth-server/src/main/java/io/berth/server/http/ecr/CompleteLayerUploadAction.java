package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService;

/**
 * CompleteLayerUpload: verifies and commits through the core's completeUpload, the same path as the final
 * {@code PUT ?digest=} of a /v2/ upload (a mismatch is InvalidLayerException and stores nothing).
 */
final class CompleteLayerUploadAction implements EcrAction<CompleteLayerUploadAction.CompleteLayerUploadRequest,
        CompleteLayerUploadAction.CompleteLayerUploadResponse> {

    record CompleteLayerUploadRequest(String registryId, String repositoryName, String uploadId,
                                      java.util.List<String> layerDigests) implements EcrTarget.InRepository {}

    record CompleteLayerUploadResponse(String registryId, String repositoryName, String uploadId,
                                       String layerDigest) {}

    @Override
    public Class<CompleteLayerUploadRequest> requestType() { return CompleteLayerUploadRequest.class; }

    @Override
    public CompleteLayerUploadResponse handle(EcrCall call, CompleteLayerUploadRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("uploadId", q.uploadId());
        Validation.required("layerDigests", q.layerDigests());
        // The model allows 1..100 digests, but one upload is one layer: Berth takes exactly one.
        Validation.size("layerDigests", q.layerDigests(), 1, 1);
        Digest digest = Validation.digest("layerDigests", q.layerDigests().get(0));
        call.admin().require(repo);
        RegistryService data = call.data();
        long size = data.uploadStatus(repo, q.uploadId()).size();
        if (size == 0) {
            data.cancelUpload(repo, q.uploadId());
            throw new RegistryException(ErrorCode.EMPTY_UPLOAD, "The upload with id '" + q.uploadId()
                    + "' does not contain any layer parts");
        }
        if (layerExists(data, repo, digest)) {
            data.cancelUpload(repo, q.uploadId());
            throw new RegistryException(ErrorCode.LAYER_ALREADY_EXISTS, "The layer with digest '" + digest
                    + "' already exists in the repository with name '" + repo + "' in registry with id '"
                    + call.registryId + "'");
        }
        Digest stored = data.completeUpload(repo, q.uploadId(), digest, null, null, -1).digest();
        return new CompleteLayerUploadResponse(call.registryId.value(), repo.value(), q.uploadId(),
                stored.toString());
    }

    private static boolean layerExists(RegistryService data, RepositoryName repo, Digest digest) {
        try {
            data.statBlob(repo, digest);
            return true;
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.BLOB_UNKNOWN) {
                throw e;
            }
            return false;
        }
    }
}
