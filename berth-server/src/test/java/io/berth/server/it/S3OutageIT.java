package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.server.boot.BerthApp;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigException;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.HttpConfig;
import io.berth.server.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 §4 on S3: a bucket that does not exist refuses the start naming {@code storage.s3.bucket}; once S3 goes
 * away, requests that need it answer 503 {@code UNAVAILABLE} within {@code storage.s3.timeout} and {@code /readyz}
 * turns red.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the outage stops S3: it goes last
class S3OutageIT {
    private static final String BUCKET = "berth-outage";
    static final InProcessS3Proxy S3 = InProcessS3Proxy.startForSdk(BUCKET);

    @RegisterExtension
    static final TestServer server = new TestServer().with(StorageConfig.TYPE, "s3")
            .with(StorageConfig.S3_BUCKET, BUCKET).with(StorageConfig.S3_ENDPOINT, S3.endpoint().toString())
            .with(StorageConfig.S3_PATH_STYLE, "true").with(StorageConfig.ENCRYPT_AT_REST, "false")
                .with(StorageConfig.S3_TIMEOUT, "2s");

    @AfterAll
    static void stopS3() throws Exception {
        S3.closeForSdk();
    }

    @Test
    @Order(1)
    void aMissingBucket_refusesTheStart_namingTheSetting() throws Exception {
        Path data = Files.createTempDirectory("berth-outage");
        BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                HttpConfig.LISTEN.name(), "127.0.0.1:0", StorageConfig.DATA.name(), data.toString(),
                StorageConfig.TYPE.name(), "s3", StorageConfig.S3_BUCKET.name(), "no-such-bucket",
                StorageConfig.S3_ENDPOINT.name(), S3.endpoint().toString(), StorageConfig.S3_PATH_STYLE.name(), "true"));
        assertThatThrownBy(() -> BerthApp.start(config).stop()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.s3.bucket").hasMessageContaining("no-such-bucket");
    }

    @Test
    @Order(2)
    void s3Gone_requestsFailWith503Unavailable_withinTheTimeout_andReadyzTurnsRed() throws Exception {
        byte[] content = "layer bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Digest d = server.pushBlob("outage/app", content);
        assertThat(server.send(server.anonymous("/readyz")).statusCode()).isEqualTo(200);

        S3.stop();

        long start = System.nanoTime();
        HttpResponse<byte[]> get = server.get("/v2/outage/app/blobs/" + d);
        assertThat(get.statusCode()).as("GET with S3 gone: %s", describe(get)).isEqualTo(503);
        assertThat(TestServer.text(get)).contains("UNAVAILABLE");
        HttpResponse<byte[]> push = server.send("POST", "/v2/outage/app/blobs/uploads/?digest="
                + Digest.sha256Of(new byte[] {9}), new byte[] {9});
        assertThat(push.statusCode()).as("push with S3 gone: %s", describe(push)).isEqualTo(503);
        HttpResponse<byte[]> ready = server.send(server.anonymous("/readyz"));
        assertThat(ready.statusCode()).as("readyz: %s", describe(ready)).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no request hung").isLessThan(Duration.ofSeconds(20));
    }
}
