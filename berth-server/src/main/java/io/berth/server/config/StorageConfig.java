package io.berth.server.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code data} and {@code storage.*}: the filesystem root for the SQLite file and the keys Berth generates (and for
 * blobs, unless they go to S3), where blobs are kept, and whether blob downloads redirect to the store.
 *
 * @param data     the data directory
 * @param archiveDirectory where the filesystem store keeps the blobs of archived images (the archive storage
 *                 class), by default {@code archive/} under the data directory; point it at a cheaper disk: blobs move
 *                 there by rename on the same filesystem, else by a durable copy. On S3 archived blobs move to the
 *                 {@code archive/} key prefix instead
 * @param type     {@code filesystem} (blobs under {@code data}) or {@code s3}
 * @param redirect answer a blob GET (and GetDownloadUrlForLayer) with a presigned URL of the store, when it has one
 * @param s3       the bucket, when {@code type} is {@code s3}
 * @param encryptAtRest encrypt new blobs at rest: on the filesystem Berth's own streaming AEAD under a key derived
 *                 from the master key; on S3 SSE-S3 on every object (ECR's AES256). Off for a disk that encrypts
 *                 already, or S3 servers without SSE (S3Proxy, MinIO without a KMS): then at rest is theirs
 */
public record StorageConfig(Path data, Path archiveDirectory, StorageType type, boolean redirect, Optional<S3> s3,
                            boolean encryptAtRest) {
    public enum StorageType { FILESYSTEM, S3 }

    /**
     * {@code storage.s3.*}.
     *
     * @param endpoint  an S3-compatible server's URL; empty for AWS's endpoint of {@code region}
     * @param pathStyle bucket in the path rather than the host name (MinIO, Ceph, S3Proxy want this)
     * @param timeout   the longest one S3 call may take (retries included) or a read may stall
     * @param partConcurrency multipart parts this node uploads at once, over all sessions
     */
    public record S3(String bucket, String prefix, String region, Optional<URI> endpoint, boolean pathStyle,
                     Duration timeout, int partConcurrency) {}

    public static final ConfigKey DATA = ConfigKey.of("data", "./data");
    public static final ConfigKey ARCHIVE_DIRECTORY = ConfigKey.withoutDefault("storage.archive-directory")
            .shown("data/archive");
    public static final ConfigKey TYPE = ConfigKey.of("storage.type", "filesystem");
    public static final ConfigKey REDIRECT = ConfigKey.of("storage.redirect", "false");
    public static final ConfigKey ENCRYPT_AT_REST = ConfigKey.of("storage.encrypt-at-rest", "true");
    public static final ConfigKey S3_BUCKET = ConfigKey.withoutDefault("storage.s3.bucket");
    public static final ConfigKey S3_PREFIX = ConfigKey.of("storage.s3.prefix", "");
    public static final ConfigKey S3_REGION = ConfigKey.of("storage.s3.region", "us-east-1");
    public static final ConfigKey S3_ENDPOINT = ConfigKey.withoutDefault("storage.s3.endpoint");
    public static final ConfigKey S3_PATH_STYLE = ConfigKey.of("storage.s3.path-style", "false");
    public static final ConfigKey S3_TIMEOUT = ConfigKey.of("storage.s3.timeout", "30s");
    public static final ConfigKey S3_PART_CONCURRENCY = ConfigKey.of("storage.s3.part-concurrency", "4");
    /** More parts in flight than this buys nothing on one link and costs a part buffer (5 MiB) of heap each. */
    private static final int MAX_PART_CONCURRENCY = 64;

    static final ConfigSection<StorageConfig> SECTION = new ConfigSection<>("storage",
            List.of(DATA, ARCHIVE_DIRECTORY, TYPE, REDIRECT, ENCRYPT_AT_REST, S3_BUCKET, S3_PREFIX, S3_REGION,
                    S3_ENDPOINT, S3_PATH_STYLE, S3_TIMEOUT, S3_PART_CONCURRENCY),
            StorageConfig::read);

    private static StorageConfig read(ConfigValues v) {
        Path data = v.path(DATA);
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            v.problem("data " + data + " exists and is not a directory");
        }
        Path archive = v.nonBlank(ARCHIVE_DIRECTORY).isPresent() ? v.path(ARCHIVE_DIRECTORY)
                : data == null ? null : data.resolve("archive");
        if (archive != null && Files.exists(archive) && !Files.isDirectory(archive)) {
            v.problem("storage.archive-directory " + archive + " exists and is not a directory");
        }
        StorageType type = v.oneOf(TYPE, StorageType.class, StorageType.FILESYSTEM);
        boolean redirect = v.bool(REDIRECT);
        Optional<S3> s3 = Optional.empty();
        if (type == StorageType.S3) {
            Optional<String> bucket = v.nonBlank(S3_BUCKET);
            if (bucket.isEmpty()) {
                v.problem("storage.type s3 needs storage.s3.bucket");
            }
            Optional<URI> endpoint = v.nonBlank(S3_ENDPOINT).flatMap(e -> endpoint(v, e));
            Duration timeout = v.durationAtLeast(S3_TIMEOUT, Duration.ofMillis(100));
            long parts = v.number(S3_PART_CONCURRENCY, 1);
            if (parts > MAX_PART_CONCURRENCY) {
                v.problem(S3_PART_CONCURRENCY.name() + " must be at most " + MAX_PART_CONCURRENCY + ", got " + parts);
            }
            s3 = Optional.of(new S3(bucket.orElse(""), v.optional(S3_PREFIX).orElse(""),
                    v.nonBlank(S3_REGION).orElse("us-east-1"), endpoint, v.bool(S3_PATH_STYLE), timeout,
                    (int) Math.max(1, Math.min(parts, MAX_PART_CONCURRENCY))));
        } else {
            if (v.nonBlank(S3_BUCKET).isPresent()) {
                v.problem("storage.s3.bucket is set but storage.type is filesystem (set storage.type: s3)");
            }
            if (redirect) {
                v.problem("storage.redirect needs storage.type s3: the filesystem store has no URL to redirect to");
            }
        }
        return new StorageConfig(data, archive, type, redirect, s3, v.bool(ENCRYPT_AT_REST));
    }

    private static Optional<URI> endpoint(ConfigValues v, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                v.problem("storage.s3.endpoint must be an http:// or https:// URL, got '" + value + "'");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            v.problem("storage.s3.endpoint must be an http:// or https:// URL, got '" + value + "'");
            return Optional.empty();
        }
    }
}
