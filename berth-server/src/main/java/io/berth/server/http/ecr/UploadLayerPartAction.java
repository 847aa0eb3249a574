package io.berth.server.http.ecr;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.UploadStatus;
import java.io.ByteArrayInputStream;

/**
 * UploadLayerPart: appends one contiguous part ({@code layerPartBlob} arrives base64-encoded in the JSON). A part
 * that does not start where the upload ends, or whose byte range disagrees with its length, is
 * InvalidLayerPartException.
 */
final class UploadLayerPartAction
        implements EcrAction<UploadLayerPartAction.UploadLayerPartRequest, UploadLayerPartAction.UploadLayerPartResponse> {
    static final int MAX_PART_BYTES = 20 * 1024 * 1024;

    record UploadLayerPartRequest(String registryId, String repositoryName, String uploadId, Long partFirstByte,
                                  Long partLastByte, byte[] layerPartBlob) implements EcrTarget.InRepository {}

    record UploadLayerPartResponse(String registryId, String repositoryName, String uploadId,
                                   Long lastByteReceived) {}

    @Override
    public Class<UploadLayerPartRequest> requestType() { return UploadLayerPartRequest.class; }

    @Override
    public UploadLayerPartResponse handle(EcrCall call, UploadLayerPartRequest q) {
        RepositoryName repo = call.repository();
        Validation.required("uploadId", q.uploadId());
        long first = Validation.required("partFirstByte", q.partFirstByte());
        long last = Validation.required("partLastByte", q.partLastByte());
        byte[] blob = Validation.required("layerPartBlob", q.layerPartBlob());
        if (first < 0 || last < 0) {
            throw Validation.invalid(first < 0 ? "partFirstByte" : "partLastByte",
                    "Member must have value greater than or equal to 0");
        }
        if (blob.length > MAX_PART_BYTES) {
            throw Validation.invalid("layerPartBlob", "Member must have length less than or equal to "
                    + MAX_PART_BYTES);
        }
        if (last - first + 1 != blob.length) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_RANGE_INVALID, "The layer part from byte " + first
                    + " to " + last + " does not match the " + blob.length + " bytes sent");
        }
        call.admin().require(repo);
        UploadStatus s = call.data().appendUpload(repo, q.uploadId(), new ByteArrayInputStream(blob), first,
                blob.length);
        return new UploadLayerPartResponse(call.registryId.value(), repo.value(), q.uploadId(), s.size() - 1);
    }
}
