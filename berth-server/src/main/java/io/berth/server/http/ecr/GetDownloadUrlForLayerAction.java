package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import java.time.Duration;

/**
 * GetDownloadUrlForLayer: a short-lived URL, signed with {@link UrlSigner}, that {@link LayerDownloadHandler} serves
 * without other credentials (ECR's pre-signed S3 URL). Only for layers an image references, as ECR.
 */
final class GetDownloadUrlForLayerAction implements EcrAction<GetDownloadUrlForLayerAction.GetDownloadUrlForLayerRequest,
        GetDownloadUrlForLayerAction.GetDownloadUrlForLayerResponse> {
    /** Long enough for a slow pull of a large layer to start; S3 pre-signed URLs of ECR last about as long. */
    static final Duration VALIDITY = Duration.ofMinutes(10);

    record GetDownloadUrlForLayerRequest(String registryId, String repositoryName, String layerDigest)
            implements EcrTarget.InRepository {}

    record GetDownloadUrlForLayerResponse(String downloadUrl, String layerDigest) {}

    @Override
    public Class<GetDownloadUrlForLayerRequest> requestType() { return GetDownloadUrlForLayerRequest.class; }

    @Override
    public GetDownloadUrlForLayerResponse handle(EcrCall call, GetDownloadUrlForLayerRequest q) {
        RepositoryName repo = call.repository();
        Digest digest = Validation.digest("layerDigest", q.layerDigest());
        call.admin().require(repo);
        call.data().statBlob(repo, digest); // LayersNotFoundException when not in the repository
        if (!call.images().layerReferenced(repo, digest)) {
            throw new RegistryException(ErrorCode.LAYER_INACCESSIBLE, "The layer with digest '" + digest
                    + "' is not referenced by any image in the repository with name '" + repo + "'");
        }
        call.signing().verification().checkBlob(call.registryId, repo, digest); // verification on pull
        // counted as a pull of the repository; lastRecordedPullTime is per image, and a layer names no image
        call.countPull(repo);
        // storage.redirect: the bucket's own presigned URL, as ECR answers with S3's
        java.util.Optional<java.net.URI> presigned = call.data().blobRedirect(repo, digest, VALIDITY);
        if (presigned.isPresent()) {
            return new GetDownloadUrlForLayerResponse(presigned.get().toString(), digest.toString());
        }
        long expires = call.clock().instant().plus(VALIDITY).getEpochSecond();
        String path = LayerDownloadHandler.path(call.registryId, repo, digest);
        String url = call.endpoint + path + "?expires=" + expires + "&sig="
                + call.context.signer().sign(path, expires);
        return new GetDownloadUrlForLayerResponse(url, digest.toString());
    }
}
