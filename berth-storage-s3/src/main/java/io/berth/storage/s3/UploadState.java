package io.berth.storage.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an upload session is, as stored in its {@code state} object: the one record another node reads to take the
 * session over. It is written after the bytes it describes (parts uploaded, tail object put), so it never points
 * at data that is not there; bytes written past it (a node died mid-append) are overwritten by the next append.
 *
 * @param multipartUploadId the S3 multipart upload, created when the first full part is ready; null before
 * @param parts             the parts uploaded so far, numbered 1..n, each {@link S3Settings#partSize} bytes
 * @param tailKey           key suffix of the object holding the bytes after the last part (fewer than a part), or
 *                          null when there are none
 * @param tailSize          bytes in that object
 * @param generation        bumped by every append, so each writes a tail object of a new name and the old one
 *                          stays valid until this record replaces it
 *
 * <p>No hash state is stored: the JDK's SHA-256 cannot export one, and BouncyCastle's, which can, hashes at a sixth
 * of its speed here (see {@link S3BlobUpload}). The node serving a session keeps the running hash in memory; a node
 * that takes a session over hashes the assembled object at commit instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record UploadState(@JsonProperty("mpu") String multipartUploadId, @JsonProperty("parts") List<Part> parts,
                   @JsonProperty("tail") String tailKey, @JsonProperty("tailSize") long tailSize,
                   @JsonProperty("gen") long generation) {

    private static final ObjectMapper JSON = new ObjectMapper();

    UploadState {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    record Part(@JsonProperty("n") int number, @JsonProperty("etag") String etag, @JsonProperty("size") long size) {}

    static UploadState empty() {
        return new UploadState(null, List.of(), null, 0, 0);
    }

    /** Bytes in the session: the parts and the tail. */
    long size() {
        long total = tailSize;
        for (Part p : parts) {
            total += p.size();
        }
        return total;
    }

    UploadState withParts(String uploadId, List<Part> newParts, String newTailKey, long newTailSize) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(newParts);
        return new UploadState(uploadId, all, newTailKey, newTailSize, generation + 1);
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise an upload state", e);
        }
    }

    static UploadState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, UploadState.class);
    }
}
