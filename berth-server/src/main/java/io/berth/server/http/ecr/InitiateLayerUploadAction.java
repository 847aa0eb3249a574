package io.berth.server.http.ecr;

import io.berth.core.model.RepositoryName;

/** InitiateLayerUpload: a session in the same upload store as {@code POST /v2/.../blobs/uploads/}. */
final class InitiateLayerUploadAction implements EcrAction<InitiateLayerUploadAction.InitiateLayerUploadRequest,
        InitiateLayerUploadAction.InitiateLayerUploadResponse> {
    /** ECR's advertised part size (10 MiB, its maximum part size). */
    static final long PART_SIZE = 10L * 1024 * 1024;

    record InitiateLayerUploadRequest(String registryId, String repositoryName) implements EcrTarget.InRepository {}

    record InitiateLayerUploadResponse(String uploadId, Long partSize) {}

    @Override
    public Class<InitiateLayerUploadRequest> requestType() { return InitiateLayerUploadRequest.class; }

    @Override
    public InitiateLayerUploadResponse handle(EcrCall call, InitiateLayerUploadRequest q) {
        RepositoryName repo = call.repository();
        call.admin().require(repo); // ECR never creates repositories on upload
        return new InitiateLayerUploadResponse(call.data().startUpload(repo).uploadId(), PART_SIZE);
    }
}
