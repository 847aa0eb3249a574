package io.berth.storage.s3;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.UploadNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link BlobStore} on an S3 bucket (AWS, or any S3-compatible server).
 *
 * <p>Keys under the configured prefix:
 * <pre>
 *   blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;   committed, verified blobs
 *   uploads/&lt;id&gt;/state                     the session record ({@link UploadState})
 *   uploads/&lt;id&gt;/tail-&lt;n&gt;                  bytes after the last full part
 *   uploads/&lt;id&gt;/data                      the multipart upload's key, completed at commit
 * </pre>
 * A blob appears under {@code blobs/} only by one CopyObject (or PutObject) of fully verified bytes, which S3 makes
 * visible atomically and durably when it returns. Every S3 call is bounded by {@link S3Settings#timeout}; an S3
 * that is down or too slow makes a request fail with {@code UNAVAILABLE}, never hang.
 */
public final class S3BlobStore implements BlobStore {

    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    /** Abandoned sessions whose hash a node still caches are dropped past this many, rather than kept forever. */
    private static final int MAX_CACHED_HASHES = 10_000;

    private final S3Settings settings;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Calls calls;
    private final SecureRandom random = new SecureRandom();
    /** The running SHA-256 of sessions this node served last, keyed by ID; only a cache (see UploadState). */
    private final ConcurrentMap<String, RunningHash> hashes = new ConcurrentHashMap<>();
    private final PartUploader partUploader;

    private S3BlobStore(S3Settings settings, AwsCredentialsProvider credentials,
                        java.util.function.UnaryOperator<S3Client> around) {
        this.settings = settings;
        // The JDK's HttpURLConnection: no extra dependency (Apache's client brings httpclient, httpcore and
        // commons-codec), and its keep-alive cache reuses connections; Berth's S3 calls are few and large, so a
        // pool's tuning buys little (measured in the commit that chose it).
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.timeout())
                .socketTimeout(settings.timeout())
                .build();
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                // Checksums only where S3 requires them: the default (CRC32 trailers in aws-chunked bodies) is not
                // understood by every S3-compatible server, and every blob is verified against its digest anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout())
                        .apiCallAttemptTimeout(settings.timeout()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = around.apply(builder.build());
        S3Presigner.Builder presign = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        settings.endpoint().ifPresent(presign::endpointOverride);
        this.presigner = presign.build();
        this.calls = new S3Calls(s3, settings.bucket(), settings.serverSideEncryption());
        this.partUploader = new PartUploader(settings.partConcurrency());
    }

    /**
     * Opens the store with the SDK's default credential chain and checks the bucket is there and writable.
     * @throws S3SetupException naming the setting that is wrong (bucket, credentials, endpoint)
     */
    public static S3BlobStore open(S3Settings settings) throws S3SetupException {
        return open(settings, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #open(S3Settings)} with the given credentials. */
    public static S3BlobStore open(S3Settings settings, AwsCredentialsProvider credentials) throws S3SetupException {
        S3BlobStore store = new S3BlobStore(settings, credentials, java.util.function.UnaryOperator.identity());
        try {
            store.calls.checkAtStart(settings, store.key("health/" + store.newId()));
            return store;
        } catch (S3SetupException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Without the start check: for tests of an S3 that fails after the start. */
    static S3BlobStore openUnchecked(S3Settings settings, AwsCredentialsProvider credentials) {
        return new S3BlobStore(settings, credentials, java.util.function.UnaryOperator.identity());
    }

    /** Without the start check, its client wrapped by {@code around}: for tests that inject S3 faults. */
    static S3BlobStore openAround(S3Settings settings, AwsCredentialsProvider credentials,
                                  java.util.function.UnaryOperator<S3Client> around) {
        return new S3BlobStore(settings, credentials, around);
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.prefix()
                + settings.endpoint().map(e -> " at " + e).orElse("")
                + (settings.redirect() ? ", downloads redirected" : "")
                + (settings.serverSideEncryption() ? ", SSE-S3" : ", no SSE requested: encryption at rest is the "
                + "bucket's");
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        return calls.size(blobKey(digest)).map(size -> new BlobInfo(digest, size));
    }

    /** Opens a range of a committed blob; as the filesystem store, a length past the end is clamped. */
    @Override
    public BlobReader open(Digest digest, long offset, long length) throws IOException {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("invalid range: offset " + offset + ", length " + length);
        }
        String key = blobKey(digest);
        if (offset == 0 && length == -1) {
            return reader(calls.get(key, null).orElseThrow(() -> notFound(digest)));
        }
        // A range that starts at (or past) the end is answered 416 by S3; the size tells which it is.
        long size = calls.size(key).orElseThrow(() -> notFound(digest));
        if (offset > size) {
            throw new IllegalArgumentException("offset " + offset + " is past the end of " + digest + " (" + size
                    + " bytes)");
        }
        long effective = length == -1 ? size - offset : Math.min(length, size - offset);
        if (effective == 0) {
            return new StreamReader(InputStream.nullInputStream(), 0);
        }
        String range = "bytes=" + offset + "-" + (offset + effective - 1);
        return reader(calls.get(key, range).orElseThrow(() -> notFound(digest)));
    }

    private static BlobReader reader(ResponseInputStream<GetObjectResponse> in) {
        return new StreamReader(in, in.response().contentLength());
    }

    private static BlobNotFoundException notFound(Digest digest) {
        return new BlobNotFoundException("blob " + digest + " not found");
    }

    @Override
    public BlobUpload startUpload() {
        String id = newId();
        UploadState state = UploadState.empty();
        calls.put(stateKey(id), RequestBody.fromBytes(state.toJson()));
        hashes.put(id, new RunningHash(Digest.Algorithm.SHA256.newMessageDigest(), 0));
        return new S3BlobUpload(this, id, state);
    }

    @Override
    public BlobUpload resumeUpload(String uploadId) throws IOException {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new UploadNotFoundException("upload not found");
        }
        UploadState state = readState(uploadId)
                .orElseThrow(() -> new UploadNotFoundException("upload " + uploadId + " not found"));
        return new S3BlobUpload(this, uploadId, state);
    }

    @Override
    public boolean delete(Digest digest) {
        boolean existed = false;
        for (String key : List.of(blobKey(digest), archivedKey(digest))) {
            if (calls.size(key).isPresent()) {
                calls.delete(key);
                existed = true;
            }
        }
        return existed;
    }

    /**
     * The archive tier is the {@code archive/} key prefix: a server-side copy, then the delete of the standard
     * key, each of which S3 makes whole or not at all. A bucket lifecycle rule on that prefix can move the objects
     * to a cheaper S3 storage class (README); Berth itself writes them in the bucket's default class.
     */
    @Override
    public boolean archive(Digest digest) {
        return move(digest, blobKey(digest), archivedKey(digest));
    }

    @Override
    public boolean restore(Digest digest) {
        return move(digest, archivedKey(digest), blobKey(digest));
    }

    /**
     * Moves the blob from {@code from} to {@code to}; when it is already at {@code to} (moved before, or committed
     * there again meanwhile) that copy wins and the other is dropped. False when it is in neither place.
     */
    private boolean move(Digest digest, String from, String to) {
        Optional<Long> source = calls.size(from);
        if (calls.size(to).isPresent()) {
            if (source.isPresent()) {
                calls.delete(from);
            }
            return true;
        }
        if (source.isEmpty()) {
            return false;
        }
        calls.copy(from, to, source.get());
        calls.delete(from);
        return true;
    }

    @Override
    public Optional<BlobInfo> statArchived(Digest digest) {
        return calls.size(archivedKey(digest)).map(size -> new BlobInfo(digest, size));
    }

    @Override
    public void forEach(Consumer<BlobInfo> visitor) {
        String blobs = key("blobs/");
        calls.list(blobs, object -> parseBlobKey(object.key().substring(blobs.length()))
                .ifPresent(d -> visitor.accept(new BlobInfo(d, object.size()))));
    }

    /** {@code sha256/ab/abcd…} to its digest; anything else under blobs/ is not ours. */
    private static Optional<Digest> parseBlobKey(String rest) {
        String[] parts = rest.split("/");
        if (parts.length != 3 || parts[1].length() != 2 || !parts[2].startsWith(parts[1])) {
            return Optional.empty();
        }
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            if (algorithm.prefix().equals(parts[0])) {
                try {
                    return Optional.of(Digest.parse(algorithm.prefix() + ":" + parts[2]));
                } catch (RegistryException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Sessions by their state objects, whose last write is the session's last activity. */
    @Override
    public void forEachUpload(Consumer<UploadInfo> visitor) throws IOException {
        String uploads = key("uploads/");
        java.util.List<S3Object> states = new java.util.ArrayList<>();
        calls.list(uploads, object -> {
            String rest = object.key().substring(uploads.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(slash).equals("/state")
                    && UPLOAD_ID.matcher(rest.substring(0, slash)).matches()) {
                states.add(object);
            }
        });
        for (S3Object object : states) {
            String id = object.key().substring(uploads.length(), object.key().length() - "/state".length());
            Optional<UploadState> state = readState(id);
            // gone between listing and reading: committed or cancelled meanwhile
            state.ifPresent(s -> visitor.accept(new UploadInfo(id, s.size(), object.lastModified())));
        }
    }

    @Override
    public Optional<URI> redirectUrl(Digest digest, Duration validity) {
        if (!settings.redirect()) {
            return Optional.empty();
        }
        try {
            return Optional.of(presigner.presignGetObject(r -> r.signatureDuration(validity)
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(blobKey(digest)))).url().toURI());
        } catch (java.net.URISyntaxException | SdkException e) {
            return Optional.empty(); // streaming through Berth still works
        }
    }

    @Override
    public void checkHealth() throws IOException {
        try {
            calls.checkHealth(key("health/" + newId()));
        } catch (RegistryException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        hashes.clear();
        partUploader.close();
        presigner.close();
        s3.close();
    }

    // ---- for S3BlobUpload ----

    S3Calls calls() {
        return calls;
    }

    int partSize() {
        return settings.partSize();
    }

    PartUploader partUploader() {
        return partUploader;
    }

    String key(String suffix) {
        return settings.prefix() + suffix;
    }

    String uploadKey(String id, String name) {
        return key("uploads/" + id + "/" + name);
    }

    private String stateKey(String id) {
        return uploadKey(id, "state");
    }

    String blobKey(Digest digest) {
        String hex = digest.hex();
        return key("blobs/" + digest.algorithm().prefix() + "/" + hex.substring(0, 2) + "/" + hex);
    }

    String archivedKey(Digest digest) {
        String hex = digest.hex();
        return key("archive/" + digest.algorithm().prefix() + "/" + hex.substring(0, 2) + "/" + hex);
    }

    Optional<UploadState> readState(String id) throws IOException {
        Optional<byte[]> bytes = calls.getBytes(stateKey(id));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(UploadState.fromJson(bytes.get()));
    }

    void writeState(String id, UploadState state) {
        calls.put(stateKey(id), RequestBody.fromBytes(state.toJson()));
    }

    /** Removes and returns this node's running hash of a session, when it covers exactly {@code size} bytes. */
    MessageDigest takeHash(String id, long size) {
        RunningHash cached = hashes.remove(id);
        return cached != null && cached.size() == size ? cached.digest() : null;
    }

    void putHash(String id, MessageDigest digest, long size) {
        if (hashes.size() >= MAX_CACHED_HASHES) {
            hashes.clear(); // sessions abandoned here; a continuing one rehashes once at commit
        }
        hashes.put(id, new RunningHash(digest, size));
    }

    void forgetHash(String id) {
        hashes.remove(id);
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static RegistryException unavailable(String what, Throwable cause) {
        return new RegistryException(ErrorCode.UNAVAILABLE, "blob storage unavailable: S3 " + what + " failed: "
                + cause.getMessage(), null, cause);
    }

    private record RunningHash(MessageDigest digest, long size) {}

    private static final class StreamReader implements BlobReader {
        private final InputStream in;
        private final long length;

        StreamReader(InputStream in, long length) {
            this.in = in;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public InputStream stream() {
            return in;
        }

        @Override
        public void close() throws IOException {
            in.close(); // the JDK drains a short rest to reuse the connection and drops a long one
        }
    }
}
