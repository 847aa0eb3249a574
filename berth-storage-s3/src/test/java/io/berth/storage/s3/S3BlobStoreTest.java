package io.berth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.DigestMismatchException;
import io.berth.core.spi.blob.UploadNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What only the S3 store has: parts and tails, takeover by another node, GC's abort, presigning, and faults. */
class S3BlobStoreTest {
    private static final int MIB = 1 << 20;

    private String prefix;
    private S3BlobStore store;

    @BeforeEach
    void open() {
        prefix = "unit-" + UUID.randomUUID();
        store = S3Fixture.store(prefix);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void smallChunks_areGatheredIntoFiveMibParts_withTheRestInATailObject() throws IOException {
        byte[] content = S3Fixture.random(7 * MIB + 123, 1);
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
        }
        for (int offset = 0; offset < content.length; offset += MIB) {
            int n = Math.min(MIB, content.length - offset);
            try (BlobUpload upload = store.resumeUpload(id)) { // a request per chunk, as OCI clients send them
                upload.append(new ByteArrayInputStream(content, offset, n), -1);
            }
            UploadState state = store.readState(id).orElseThrow();
            long expectedParts = (offset + n) / S3Settings.MIN_PART_SIZE;
            assertThat(state.parts()).hasSize((int) expectedParts);
            assertThat(state.parts()).allSatisfy(p -> assertThat(p.size()).isEqualTo(S3Settings.MIN_PART_SIZE));
            assertThat(state.tailSize()).isEqualTo((offset + n) % S3Settings.MIN_PART_SIZE);
            // the pending tail is in the bucket (one object, the previous one deleted), not only in memory
            List<String> tails = keys("uploads/" + id + "/tail-");
            assertThat(tails).hasSize(state.tailSize() > 0 ? 1 : 0);
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(S3Fixture.read(store, Digest.sha256Of(content))).isEqualTo(content);
        assertThat(keys("uploads/")).isEmpty();
        assertThat(multipartUploads()).isEmpty();
        assertThat(keys("blobs/")).containsExactly(prefix + "/" + blobKeySuffix(Digest.sha256Of(content)));
    }

    @Test
    void aSecondNode_continuesAndCommitsASessionMidUpload() throws IOException {
        byte[] content = S3Fixture.random(12 * MIB + 7, 2);
        int cut = 6 * MIB + 3; // one full part and a tail on the first node
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(content, 0, cut), -1);
        }
        try (S3BlobStore other = S3Fixture.store(prefix)) {
            try (BlobUpload upload = other.resumeUpload(id)) {
                assertThat(upload.size()).isEqualTo(cut);
                upload.append(new ByteArrayInputStream(content, cut, content.length - cut), -1);
                // this node did not hash the first bytes: it hashes the assembled object before publishing it
                upload.commit(Digest.sha256Of(content));
            }
            assertThat(S3Fixture.read(other, Digest.sha256Of(content))).isEqualTo(content);
        }
        assertThat(S3Fixture.read(store, Digest.sha256Of(content))).isEqualTo(content);
        assertThat(multipartUploads()).isEmpty();
    }

    @Test
    void aTakenOverSession_withTheWrongDigest_leavesNothingVisible() throws IOException {
        byte[] content = S3Fixture.random(11 * MIB, 3);
        Digest claimed = Digest.sha256Of("other".getBytes());
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(content, 0, 6 * MIB), -1);
        }
        try (S3BlobStore other = S3Fixture.store(prefix); BlobUpload upload = other.resumeUpload(id)) {
            upload.append(new ByteArrayInputStream(content, 6 * MIB, 5 * MIB), -1);
            assertThatThrownBy(() -> upload.commit(claimed)).isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining("content hashes to " + Digest.sha256Of(content));
        }
        assertThat(store.stat(claimed)).isEmpty();
        assertThat(store.stat(Digest.sha256Of(content))).isEmpty();
        assertThat(keys("blobs/")).isEmpty();
        assertThat(keys("uploads/")).isEmpty();
        assertThat(multipartUploads()).isEmpty();
    }

    @Test
    void gc_listsAnAbandonedSession_andCancellingItAbortsTheMultipartUpload() throws IOException {
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(S3Fixture.random(6 * MIB, 4)), -1);
        }
        assertThat(multipartUploads()).hasSize(1);
        List<BlobStore.UploadInfo> seen = new ArrayList<>();
        store.forEachUpload(seen::add);
        assertThat(seen).singleElement().satisfies(u -> {
            assertThat(u.uploadId()).isEqualTo(id);
            assertThat(u.size()).isEqualTo(6 * MIB);
            assertThat(u.lastModified()).isBefore(java.time.Instant.now().plusSeconds(5));
        });
        // what GarbageCollector does with a stale session
        try (BlobUpload upload = store.resumeUpload(seen.get(0).uploadId())) {
            upload.cancel();
        }
        assertThat(multipartUploads()).isEmpty();
        assertThat(keys("uploads/")).isEmpty();
        assertThatThrownBy(() -> store.resumeUpload(id)).isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void presignedUrl_servesTheBytesAndRangesToAPlainHttpClient() throws Exception {
        byte[] content = S3Fixture.random(3 * MIB + 5, 5);
        Digest digest = commit(store, content);
        assertThat(store.redirectUrl(digest, Duration.ofMinutes(5))).as("redirects are off by default").isEmpty();
        try (S3BlobStore redirecting = S3BlobStore.open(S3Fixture.settings(prefix).withRedirect(true),
                S3Fixture.CREDENTIALS)) {
            URI url = redirecting.redirectUrl(digest, Duration.ofMinutes(5)).orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(content);
            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(url).header("Range", "bytes=1000-2999")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 3000));
        }
    }

    @Test
    void aMissingBucket_isRefusedAtStart_namingIt() {
        S3Settings s = S3Fixture.settings(prefix);
        S3Settings wrong = new S3Settings("no-such-bucket", s.prefix(), s.region(), s.endpoint(), true,
                s.timeout());
        assertThatThrownBy(() -> S3BlobStore.open(wrong, S3Fixture.CREDENTIALS)).isInstanceOf(S3SetupException.class)
                .hasMessageContaining("storage.s3.bucket").hasMessageContaining("no-such-bucket");
    }

    /**
     * SSE-S3 is on by default: S3Proxy, which does not implement it, answers the header with 501, which proves it is
     * sent, and the start is refused naming the setting that turns it off.
     */
    @Test
    void serverSideEncryption_isRequestedByDefault_andAServerWithoutItIsRefusedNamingTheSetting() {
        S3Settings s = S3Fixture.settings(prefix).withServerSideEncryption(true);
        assertThat(new S3Settings(s.bucket(), s.prefix(), s.region(), s.endpoint(), true, s.timeout())
                .serverSideEncryption()).as("the default").isTrue();
        assertThatThrownBy(() -> S3BlobStore.open(s, S3Fixture.CREDENTIALS)).isInstanceOf(S3SetupException.class)
                .hasMessageContaining("storage.encrypt-at-rest").hasMessageContaining("SSE-S3");
        assertThat(store.describe()).contains("no SSE requested");
    }

    @Test
    void wrongCredentials_areRefusedAtStart_namingThem() {
        var wrong = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAWRONG", "wrong"));
        assertThatThrownBy(() -> S3BlobStore.open(S3Fixture.settings(prefix), wrong))
                .isInstanceOf(S3SetupException.class).hasMessageContaining("AWS_ACCESS_KEY_ID");
    }

    @Test
    void anEndpointThatNeverAnswers_failsTheStartWithinTheTimeout() throws IOException {
        try (BlackHole hole = new BlackHole()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> S3BlobStore.open(S3Fixture.settings(prefix, hole.uri(), Duration.ofSeconds(1)),
                    S3Fixture.CREDENTIALS))
                    .isInstanceOf(S3SetupException.class).hasMessageContaining("storage.s3.endpoint")
                    .hasMessageContaining("storage.s3.timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void aStoppedS3_failsRequestsWithUnavailable_withinTheTimeout() throws Exception {
        S3ProxyServer own = S3ProxyServer.start(S3Fixture.BUCKET);
        S3BlobStore s;
        try {
            s = S3BlobStore.open(S3Fixture.settings("stop", own.endpoint(), Duration.ofSeconds(2)),
                    S3Fixture.CREDENTIALS);
            commit(s, new byte[] {1, 2, 3});
        } finally {
            own.close();
        }
        try (s) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.stat(Digest.sha256Of(new byte[] {1, 2, 3})))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThatThrownBy(s::startUpload).isInstanceOf(RegistryException.class);
            assertThatThrownBy(s::checkHealth).isInstanceOf(IOException.class)
                    .hasMessageContaining("blob storage unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aStalledS3_failsARequestWithinTheTimeout_ratherThanHanging() throws Exception {
        try (BlackHole hole = new BlackHole()) {
            // a store whose S3 accepts connections and never answers (the start check would refuse it)
            S3Settings settings = S3Fixture.settings(prefix, hole.uri(), Duration.ofSeconds(1));
            S3BlobStore stalled = S3BlobStore.openUnchecked(settings, S3Fixture.CREDENTIALS);
            try (stalled) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> stalled.stat(Digest.sha256Of(new byte[0])))
                        .isInstanceOfSatisfying(RegistryException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            }
        }
    }

    // ---- helpers ----

    private List<String> keys(String under) {
        return S3Fixture.server().keys(S3Fixture.BUCKET, prefix + "/" + under);
    }

    private List<String> multipartUploads() {
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(S3Fixture.CREDENTIALS)
                .endpointOverride(S3Fixture.server().endpoint()).forcePathStyle(true)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            return s3.listMultipartUploads(r -> r.bucket(S3Fixture.BUCKET).prefix(prefix + "/")).uploads().stream()
                    .map(u -> u.key()).toList();
        }
    }

    private static String blobKeySuffix(Digest d) {
        return "blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex();
    }

    private static Digest commit(BlobStore s, byte[] content) throws IOException {
        Digest digest = Digest.sha256Of(content);
        try (BlobUpload upload = s.startUpload()) {
            upload.append(new ByteArrayInputStream(content), -1);
            upload.commit(digest);
        }
        return digest;
    }


    /** Accepts connections and never answers: a hung S3. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread acceptor;

        BlackHole() throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
