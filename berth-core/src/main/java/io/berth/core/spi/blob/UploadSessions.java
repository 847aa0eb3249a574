package io.berth.core.spi.blob;

import java.io.IOException;

/**
 * Where a repository's upload sessions are written: the blob store itself, or, for a repository encrypted with a
 * KMS key, the envelope layer, which seals the bytes under a data key as they stream in.
 */
public interface UploadSessions {
    BlobUpload start() throws IOException;

    /** UploadNotFoundException when there is no such session. */
    BlobUpload resume(String uploadId) throws IOException;

    static UploadSessions of(BlobStore blobs) {
        return new UploadSessions() {
            @Override public BlobUpload start() throws IOException { return blobs.startUpload(); }

            @Override public BlobUpload resume(String uploadId) throws IOException {
                return blobs.resumeUpload(uploadId);
            }
        };
    }
}
