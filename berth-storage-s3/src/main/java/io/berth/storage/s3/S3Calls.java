package io.berth.storage.s3;

import io.berth.core.error.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls the store makes, each turning the SDK's exceptions into Berth's: a missing key is an empty result,
 * anything else (S3 down, slow past the timeout, refusing) is {@code UNAVAILABLE}, so a registry request fails
 * with 503 and the client retries, rather than a 500.
 */
final class S3Calls {
    /** CopyObject's limit; larger objects are copied part by part. */
    static final long MAX_SINGLE_COPY = 5L << 30;
    private static final long COPY_PART = 1L << 30;

    private final S3Client s3;
    private final String bucket;
    /** SSE-S3 on every object written, or null to send no encryption header (the bucket's default applies). */
    private final ServerSideEncryption sse;

    S3Calls(S3Client s3, String bucket, boolean serverSideEncryption) {
        this.s3 = s3;
        this.bucket = bucket;
        this.sse = serverSideEncryption ? ServerSideEncryption.AES256 : null;
    }

    Optional<Long> size(String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3BlobStore.unavailable("HeadObject", e);
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("HeadObject", e);
        }
    }

    /** The object (or the {@code bytes=a-b} range of it), empty when absent. */
    Optional<ResponseInputStream<GetObjectResponse>> get(String key, String range) {
        try {
            return Optional.of(s3.getObject(r -> r.bucket(bucket).key(key).range(range)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3BlobStore.unavailable("GetObject", e);
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("GetObject", e);
        }
    }

    Optional<byte[]> getBytes(String key) throws IOException {
        Optional<ResponseInputStream<GetObjectResponse>> in = get(key, null);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        } catch (IOException e) {
            throw S3BlobStore.unavailable("GetObject", e);
        }
    }

    void put(String key, RequestBody body) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).serverSideEncryption(sse), body);
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("PutObject", e);
        }
    }

    void delete(String key) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("DeleteObject", e);
        }
    }

    void list(String prefix, Consumer<S3Object> visitor) {
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().forEach(visitor);
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("ListObjectsV2", e);
        }
    }

    String createMultipart(String key) {
        try {
            return s3.createMultipartUpload(r -> r.bucket(bucket).key(key).serverSideEncryption(sse)).uploadId();
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("CreateMultipartUpload", e);
        }
    }

    /** Uploads one part; the SDK retries a failed attempt from the start of the (re-readable) body. */
    String uploadPart(String key, String uploadId, int number, RequestBody body) {
        try {
            return s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number), body).eTag();
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("UploadPart", e);
        }
    }

    void complete(String key, String uploadId, List<UploadState.Part> parts) {
        List<CompletedPart> completed = new ArrayList<>();
        for (UploadState.Part p : parts) {
            completed.add(CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build());
        }
        try {
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("CompleteMultipartUpload", e);
        }
    }

    /** Aborts a multipart upload; one already gone is fine. */
    void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3BlobStore.unavailable("AbortMultipartUpload", e);
            }
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("AbortMultipartUpload", e);
        }
    }

    List<MultipartUpload> multipartUploads(String prefix) {
        try {
            return s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads().stream()
                    .toList();
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("ListMultipartUploads", e);
        }
    }

    /** Server-side copy; S3 makes the target visible whole, or not at all, when the call returns. */
    void copy(String source, String target, long size) {
        try {
            if (size <= MAX_SINGLE_COPY) {
                s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                        .destinationKey(target).serverSideEncryption(sse));
                return;
            }
            String uploadId = createMultipart(target);
            try {
                List<UploadState.Part> parts = new ArrayList<>();
                int number = 1;
                for (long start = 0; start < size; start += COPY_PART, number++) {
                    long end = Math.min(size, start + COPY_PART) - 1;
                    String range = "bytes=" + start + "-" + end;
                    int n = number;
                    String etag = s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(source)
                            .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(n)
                            .copySourceRange(range)).copyPartResult().eTag();
                    parts.add(new UploadState.Part(n, etag, end - start + 1));
                }
                complete(target, uploadId, parts);
            } catch (RuntimeException e) {
                try {
                    abort(target, uploadId);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("CopyObject", e);
        }
    }

    /** HeadBucket, then a small object put and deleted: reachable, and writable with these credentials. */
    void checkHealth(String probeKey) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            throw S3BlobStore.unavailable("HeadBucket " + bucket, e);
        }
        put(probeKey, RequestBody.fromBytes(new byte[] {'o', 'k'}));
        delete(probeKey);
    }

    /** As {@link #checkHealth}, with a message that names the setting to fix. */
    void checkAtStart(S3Settings settings, String probeKey) throws S3SetupException {
        String where = settings.endpoint().map(e -> " at " + e).orElse("");
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new S3SetupException("storage.s3.bucket: bucket '" + bucket + "' does not exist" + where, e);
            }
            if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw new S3SetupException("S3 credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the "
                        + "default credential chain's profile or role) are not allowed to use storage.s3.bucket '"
                        + bucket + "'" + where + ": " + e.awsErrorDetails().errorMessage(), e);
            }
            if (e.statusCode() == 301 || e.statusCode() == 400) {
                throw new S3SetupException("storage.s3.region '" + settings.region() + "' is not the region of "
                        + "storage.s3.bucket '" + bucket + "'" + where + " (S3 answered " + e.statusCode() + ")", e);
            }
            throw new S3SetupException("storage.s3.bucket '" + bucket + "'" + where + ": S3 answered "
                    + e.statusCode() + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("credentials")) {
                throw new S3SetupException("S3 credentials: none found (set AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): " + message, e);
            }
            throw new S3SetupException("storage.s3.endpoint" + (where.isEmpty() ? " (AWS's, for storage.s3.region '"
                    + settings.region() + "')" : " " + settings.endpoint().get()) + " is unreachable within "
                    + "storage.s3.timeout " + settings.timeout().toMillis() + " ms: " + message, e);
        }
        try {
            put(probeKey, RequestBody.fromBytes(new byte[] {'o', 'k'}));
            delete(probeKey);
        } catch (RegistryException e) {
            if (sse != null && e.getCause() instanceof S3Exception s && (s.statusCode() == 501
                    || s.statusCode() == 400)) {
                throw new S3SetupException("storage.encrypt-at-rest: the S3 server" + where + " refuses SSE-S3 "
                        + "(x-amz-server-side-encryption: AES256, S3 answered " + s.statusCode() + "); set "
                        + "storage.encrypt-at-rest: false if the bucket or its disks encrypt at rest themselves", e);
            }
            throw new S3SetupException("S3 credentials may read but not write storage.s3.bucket '" + bucket + "'"
                    + (settings.prefix().isEmpty() ? "" : " under storage.s3.prefix '" + settings.prefix() + "'")
                    + ": " + e.getMessage(), e);
        }
    }
}
