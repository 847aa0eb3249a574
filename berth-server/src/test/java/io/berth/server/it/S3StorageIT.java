package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.server.config.StorageConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real server on {@code storage.type: s3} against S3Proxy in this JVM: monolithic and chunked pushes pull back
 * byte-identical, streamed by Berth, and with {@code storage.redirect} as a 307 to a presigned URL that S3 serves
 * (ranges too).
 */
class S3StorageIT {
    private static final String BUCKET = "berth-it";
    private static final int MIB = 1 << 20;
    static final InProcessS3Proxy S3 = InProcessS3Proxy.startForSdk(BUCKET);

    @RegisterExtension
    static final TestServer streaming = s3Server("streaming", false);

    @RegisterExtension
    static final TestServer redirecting = s3Server("redirecting", true);

    private static TestServer s3Server(String prefix, boolean redirect) {
        return new TestServer().with(StorageConfig.TYPE, "s3").with(StorageConfig.S3_BUCKET, BUCKET)
                .with(StorageConfig.S3_PREFIX, prefix).with(StorageConfig.S3_ENDPOINT, S3.endpoint().toString())
                .with(StorageConfig.S3_PATH_STYLE, "true").with(StorageConfig.ENCRYPT_AT_REST, "false")
                .with(StorageConfig.S3_TIMEOUT, "10s")
                .with(StorageConfig.REDIRECT, Boolean.toString(redirect));
    }

    @AfterAll
    static void stopS3() throws Exception {
        S3.closeForSdk();
    }

    @Test
    void monolithicPush_pullsBackIdentical_streamed() throws Exception {
        byte[] content = random(7 * MIB + 11, 1);
        Digest d = streaming.pushBlob("mono/app", content);
        HttpResponse<byte[]> get = streaming.get("/v2/mono/app/blobs/" + d);
        assertThat(get.statusCode()).as("GET: %s", describe(get)).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        HttpResponse<byte[]> range = streaming.get("/v2/mono/app/blobs/" + d, "Range", "bytes=5242870-5242899");
        assertThat(range.statusCode()).as("Range: %s", describe(range)).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 5_242_870, 5_242_900));
        assertThat(streaming.app().stores().blobs().describe()).startsWith("s3://" + BUCKET + "/streaming/");
    }

    @Test
    void chunkedPush_acrossParts_pullsBackIdentical_streamed() throws Exception {
        byte[] content = random(11 * MIB + 5, 2);
        Digest d = chunkedPush(streaming, "chunked/app", content, MIB + 3);
        HttpResponse<byte[]> get = streaming.get("/v2/chunked/app/blobs/" + d);
        assertThat(get.statusCode()).as("GET: %s", describe(get)).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
    }

    @Test
    void withRedirect_blobGetAnswers307ToAPresignedUrl_thatServesBytesAndRanges() throws Exception {
        byte[] mono = random(6 * MIB + 1, 3);
        byte[] chunked = random(9 * MIB + 77, 4);
        Digest m = redirecting.pushBlob("redirect/app", mono);
        Digest c = chunkedPush(redirecting, "redirect/app", chunked, 2 * MIB + 1);
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (var blob : new Object[][] {{m, mono}, {c, chunked}}) {
            Digest d = (Digest) blob[0];
            byte[] content = (byte[]) blob[1];
            HttpResponse<byte[]> get = redirecting.get("/v2/redirect/app/blobs/" + d);
            assertThat(get.statusCode()).as("GET: %s", describe(get)).isEqualTo(307);
            URI location = URI.create(get.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).as("points at S3, not Berth").isEqualTo(S3.endpoint().getPort());
            // the presigned URL needs no credentials of Berth's, as a docker client following it sends none
            HttpResponse<byte[]> bytes = plain.send(HttpRequest.newBuilder(location).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            assertThat(bytes.body()).isEqualTo(content);
            HttpResponse<byte[]> range = plain.send(HttpRequest.newBuilder(location)
                    .header("Range", "bytes=100-5242979").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 100, 5_242_980));
            // HEAD is answered by Berth (sizes, digests), never redirected
            HttpResponse<byte[]> head = redirecting.head("/v2/redirect/app/blobs/" + d);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        }
        // the access check still comes first: a blob of another repository is not redirected to
        HttpResponse<byte[]> other = redirecting.get("/v2/other/app/blobs/" + m);
        assertThat(other.statusCode()).as("unlinked: %s", describe(other)).isEqualTo(404);
    }

    @Test
    void getDownloadUrlForLayer_isThePresignedS3Url_withRedirect_andBerthsOwnWithout() throws Exception {
        for (TestServer server : new TestServer[] {redirecting, streaming}) {
            Ecr.Pushed p = Ecr.push(server, "dl/app", "v1", 5);
            String url = server.ecr().getDownloadUrlForLayer(b -> b.repositoryName("dl/app")
                    .layerDigest(p.layer().toString())).downloadUrl();
            int expectedPort = server == redirecting ? S3.endpoint().getPort() : server.port();
            assertThat(URI.create(url).getPort()).as("download URL %s", url).isEqualTo(expectedPort);
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256Of(r.body())).isEqualTo(p.layer());
        }
    }

    @Test
    void thePackagedJar_runsOnS3_withTheSdksDefaultCredentialChainFromTheEnvironment() throws Exception {
        // berth.jar as users run it: the S3 module and its HTTP client must be in it, and AWS_* found by the chain
        Path data = java.nio.file.Files.createTempDirectory("berth-s3-packaged");
        PackagedServer packaged = PackagedServer.start(data, java.util.Map.of("BERTH_STORAGE_TYPE", "s3",
                "BERTH_STORAGE_S3_BUCKET", BUCKET, "BERTH_STORAGE_S3_PREFIX", "packaged",
                "BERTH_STORAGE_S3_ENDPOINT", S3.endpoint().toString(), "BERTH_STORAGE_S3_PATH_STYLE", "true",
                "BERTH_STORAGE_ENCRYPT_AT_REST", "false", // S3Proxy does not implement SSE-S3
                "AWS_ACCESS_KEY_ID", InProcessS3Proxy.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", InProcessS3Proxy.SECRET_KEY));
        try {
            byte[] content = random(6 * MIB + 9, 6);
            Digest d = Digest.sha256Of(content);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> push = http.send(HttpRequest.newBuilder(URI.create(packaged.base()
                    + "/v2/packaged/app/blobs/uploads/?digest=" + d)).POST(HttpRequest.BodyPublishers.ofByteArray(content))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(push.statusCode()).as("push: %s", describe(push)).isEqualTo(201);
            HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(packaged.base()
                    + "/v2/packaged/app/blobs/" + d)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.body()).isEqualTo(content);
        } finally {
            packaged.process().destroyForcibly().waitFor();
        }
    }

    @Test
    void readiness_checksTheBucket() throws Exception {
        HttpResponse<byte[]> ready = streaming.send(streaming.anonymous("/readyz"));
        assertThat(ready.statusCode()).as("readyz: %s", describe(ready)).isEqualTo(200);
    }

    private static Digest chunkedPush(TestServer server, String repo, byte[] content, int chunk) throws Exception {
        HttpResponse<byte[]> start = server.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(start.statusCode()).as("start: %s", describe(start)).isEqualTo(202);
        String loc = start.headers().firstValue("Location").orElseThrow();
        for (int offset = 0; offset < content.length; offset += chunk) {
            int end = Math.min(content.length, offset + chunk);
            HttpResponse<byte[]> p = server.send("PATCH", loc, Arrays.copyOfRange(content, offset, end),
                    "Content-Range", offset + "-" + (end - 1), "Content-Type", "application/octet-stream");
            assertThat(p.statusCode()).as("chunk at %d: %s", offset, describe(p)).isEqualTo(202);
            assertThat(p.headers().firstValue("Range")).contains("0-" + (end - 1));
            loc = p.headers().firstValue("Location").orElseThrow();
        }
        Digest d = Digest.sha256Of(content);
        HttpResponse<byte[]> put = server.send("PUT", loc + (loc.contains("?") ? "&" : "?") + "digest=" + d, null);
        assertThat(put.statusCode()).as("close: %s", describe(put)).isEqualTo(201);
        return d;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
