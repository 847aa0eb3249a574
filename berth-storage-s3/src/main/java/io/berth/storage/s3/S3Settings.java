package io.berth.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link S3BlobStore} reaches its bucket. Credentials are not here: the SDK's default chain finds them
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code ~/.aws/credentials}, an instance role…).
 *
 * @param bucket    the bucket, which must exist
 * @param prefix    key prefix under which Berth keeps everything ({@code ""} or {@code a/b/}); normalised
 * @param region    the signing region
 * @param endpoint  a non-AWS endpoint (MinIO, Ceph, S3Proxy), or empty for AWS's own
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; needed by most
 *                  self-hosted servers
 * @param timeout   the longest one S3 call may take, retries included, and the longest a read may stall: past it
 *                  the request fails rather than hangs
 * @param partSize  bytes per multipart part (at least S3's minimum of 5 MiB); also the session buffer per append
 * @param redirect  whether {@link S3BlobStore#redirectUrl} presigns URLs ({@code storage.redirect}); without it
 *                  Berth streams every blob
 * @param partConcurrency how many full parts this node uploads at once, over all sessions
 *                  ({@code storage.s3.part-concurrency}): an append goes on reading the client while its earlier
 *                  parts are in flight, and the heap held by parts in flight is at most this many part buffers
 * @param serverSideEncryption every object written with SSE-S3 ({@code x-amz-server-side-encryption: AES256}), as
 *                  ECR's AES256 encryption is; S3 serves presigned redirects of such objects as plaintext, so they
 *                  keep working. Off ({@code storage.encrypt-at-rest: false}) for servers without SSE, such as
 *                  MinIO without a KMS, which refuse the header: then at rest is what the bucket does.
 */
public record S3Settings(String bucket, String prefix, String region, Optional<URI> endpoint, boolean pathStyle,
                         Duration timeout, int partSize, boolean redirect, int partConcurrency,
                         boolean serverSideEncryption) {
    /** S3's smallest part other than the last. */
    public static final int MIN_PART_SIZE = 5 << 20;
    /** Parts in flight per node unless configured: enough to keep a client's stream moving over a WAN link. */
    public static final int DEFAULT_PART_CONCURRENCY = 4;

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        prefix = normalisePrefix(prefix);
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum " + MIN_PART_SIZE);
        }
        if (partConcurrency < 1) {
            throw new IllegalArgumentException("part concurrency must be at least 1, got " + partConcurrency);
        }
    }

    public S3Settings(String bucket, String prefix, String region, Optional<URI> endpoint, boolean pathStyle,
                      Duration timeout) {
        this(bucket, prefix, region, endpoint, pathStyle, timeout, MIN_PART_SIZE, false, DEFAULT_PART_CONCURRENCY,
                true);
    }

    public S3Settings withRedirect(boolean enabled) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, timeout, partSize, enabled,
                partConcurrency, serverSideEncryption);
    }

    public S3Settings withPartConcurrency(int parts) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, timeout, partSize, redirect, parts,
                serverSideEncryption);
    }

    public S3Settings withServerSideEncryption(boolean enabled) {
        return new S3Settings(bucket, prefix, region, endpoint, pathStyle, timeout, partSize, redirect,
                partConcurrency, enabled);
    }

    static String normalisePrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p + "/";
    }
}
