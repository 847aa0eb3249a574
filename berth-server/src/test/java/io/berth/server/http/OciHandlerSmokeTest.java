package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.core.model.Reference;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.service.BlobContent;
import io.berth.core.service.RegistryService;
import io.berth.server.config.HttpConfig;
import io.berth.server.http.oci.OciHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP plane over Jetty with a map-backed service fake: checks what only a real Jetty shows (HEAD lengths,
 * streamed bodies, error bodies, 405/404), independent of the storage backends.
 */
class OciHandlerSmokeTest {
    static final Map<String, byte[]> BLOBS = new ConcurrentHashMap<>();
    static final Map<String, byte[]> MANIFESTS = new ConcurrentHashMap<>();
    static BerthServer server;
    static HttpClient client = HttpClient.newHttpClient();

    static final RegistryService FAKE = new RegistryService() {
        byte[] blob(Digest d) {
            byte[] b = BLOBS.get(d.toString());
            if (b == null) {
                throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown", Map.of("digest", d.toString()));
            }
            return b;
        }
        @Override public RegistryService guardingCreation(io.berth.core.service.CreateGuard guard) { return this; }
        @Override public RegistryService actingAs(io.berth.core.auth.Principal principal) { return this; }
        @Override public RegistryService actingAsServer(String serverActor) { return this; }
        @Override public java.util.Optional<java.net.URI> blobRedirect(RepositoryName repo, Digest digest,
                                                                       java.time.Duration validity) {
            return java.util.Optional.empty();
        }
        @Override public BlobStat statBlob(RepositoryName r, Digest d) { return new BlobStat(d, blob(d).length); }
        @Override public BlobContent openBlob(RepositoryName r, Digest d, long off, long len) {
            byte[] b = Arrays.copyOfRange(blob(d), (int) off, (int) (off + len));
            return new BlobContent() {
                @Override public long length() { return b.length; }
                @Override public InputStream stream() { return new ByteArrayInputStream(b); }
                @Override public void close() { }
            };
        }
        @Override public void deleteBlob(RepositoryName r, Digest d) { BLOBS.remove(d.toString()); }
        @Override public UploadStatus startUpload(RepositoryName r) { return new UploadStatus("abc", 0); }
        @Override public UploadStatus uploadStatus(RepositoryName r, String id) { return new UploadStatus(id, 0); }
        @Override public UploadStatus appendUpload(RepositoryName r, String id, InputStream body, Long start,
                                                   long expected) { throw new UnsupportedOperationException(); }
        @Override public BlobStat completeUpload(RepositoryName r, String id, Digest d, InputStream body, Long start,
                                                 long expected) { throw new UnsupportedOperationException(); }
        @Override public BlobStat uploadMonolithic(RepositoryName r, Digest d, InputStream body, long expected) {
            try {
                byte[] b = body.readAllBytes();
                if (!Digest.sha256Of(b).equals(d)) {
                    throw new RegistryException(ErrorCode.DIGEST_MISMATCH, "digest mismatch");
                }
                BLOBS.put(d.toString(), b);
                return new BlobStat(d, b.length);
            } catch (IOException e) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "cut off");
            }
        }
        @Override public void cancelUpload(RepositoryName r, String id) { }
        @Override public Optional<BlobStat> mount(RepositoryName r, Digest d, Optional<RepositoryName> f) {
            return Optional.empty();
        }
        @Override public Optional<BlobStat> mountFromAny(RepositoryName r, Digest d,
                                                         java.util.function.Predicate<RepositoryName> readable) {
            return Optional.empty();
        }
        @Override public StoredManifest getManifest(RepositoryName r, Reference ref) {
            byte[] b = MANIFESTS.get(r + ":" + ref);
            if (b == null) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown");
            }
            return new StoredManifest(Digest.sha256Of(b), MediaTypes.OCI_MANIFEST, b, null);
        }
        @Override public PushedManifest putManifest(RepositoryName r, Reference ref, String ct, byte[] body) {
            MANIFESTS.put(r + ":" + ref, body);
            return new PushedManifest(Digest.sha256Of(body), null);
        }
        @Override public PushedManifest putManifest(RepositoryName r, Digest d, io.berth.core.model.Tag t, String ct,
                                                    byte[] body) {
            throw new UnsupportedOperationException("not used by the OCI handler");
        }
        @Override public void deleteManifest(RepositoryName r, Reference ref) { MANIFESTS.remove(r + ":" + ref); }
        @Override public List<Descriptor> referrers(RepositoryName r, Digest s, String t) { return List.of(); }
        @Override public Page<Tag> listTags(RepositoryName r, String last, int limit) {
            return new Page<>(List.of(Tag.of("a"), Tag.of("b")).subList(0, Math.min(2, limit)), limit < 3);
        }
        @Override public Page<RepositoryName> catalog(String last, int limit) { return new Page<>(List.of(), false); }
    };

    @BeforeAll
    static void start() throws Exception {
        server = new BerthServer(new HttpConfig("127.0.0.1", 0, Optional.empty()),
                RootHandler.of(new OciHandler(FAKE), new HealthHandler(() -> { }), null), false);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void blobRoundTripWithRangesAndHead() throws Exception {
        byte[] content = "hello, registry".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256Of(content);
        HttpResponse<byte[]> post = send("POST", "/v2/a/b/blobs/uploads/?digest=" + d, content);
        assertThat(post.statusCode()).as("monolithic POST").isEqualTo(201);
        assertThat(post.headers().firstValue("Location")).contains("/v2/a/b/blobs/" + d);
        HttpResponse<byte[]> get = send("GET", "/v2/a/b/blobs/" + d, null);
        assertThat(get.body()).isEqualTo(content);
        HttpResponse<byte[]> head = send("HEAD", "/v2/a/b/blobs/" + d, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        HttpResponse<byte[]> range = send("GET", "/v2/a/b/blobs/" + d, null, "Range", "bytes=0-4");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        HttpResponse<byte[]> bad = send("GET", "/v2/a/b/blobs/" + d, null, "Range", "bytes=99-");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(bad.headers().firstValue("Content-Range")).contains("bytes */" + content.length);
    }

    @Test
    void manifestsAndErrors() throws Exception {
        byte[] m = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "/v2/a/b/manifests/v1", m, "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> head = send("HEAD", "/v2/a/b/manifests/v1", null);
        assertThat(head.statusCode()).as("HEAD %s", head.headers().map()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(m.length);
        HttpResponse<byte[]> get = send("GET", "/v2/a/b/manifests/v1", null);
        assertThat(get.body()).isEqualTo(m);
        assertThat(get.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_MANIFEST);
        HttpResponse<byte[]> missing = send("GET", "/v2/a/b/manifests/v2", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}}]}");
        HttpResponse<byte[]> headMissing = send("HEAD", "/v2/a/b/manifests/v2", null);
        assertThat(headMissing.statusCode()).isEqualTo(404);
        assertThat(send("POST", "/v2/a/b/manifests/v1", new byte[0]).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/v2/a/b/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/A/b/manifests/v1", null).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> big = send("PUT", "/v2/a/b/manifests/v1", new byte[4 * 1024 * 1024 + 1]);
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<byte[]> tags = send("GET", "/v2/a/b/tags/list?n=2", null);
        assertThat(tags.headers().firstValue("Link")).contains("</v2/a/b/tags/list?last=b&n=2>; rel=\"next\"");
        assertThat(send("GET", "/v2/a/b/tags/list?n=-1", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(200);
    }
}
