package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.envelope.EnvelopeBlobs;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.model.EncryptionType;

/**
 * Envelope encryption on S3 (S3Proxy in this JVM), with presigned redirects on: a KMS repository's layer is held in
 * the bucket as ciphertext without the layer's bytes, and is streamed by Berth (never redirected), whole and in
 * ranges, while an AES256 repository's copy of the same layer is still redirected.
 */
class S3EnvelopeIT {
    private static final String BUCKET = "berth-envelope-it";
    private static final byte[] MARKER = "BERTH-S3-ENVELOPE-MARKER".getBytes(StandardCharsets.US_ASCII);
    static final InProcessS3Proxy S3 = startS3();

    @RegisterExtension
    static final TestServer server = new TestServer().with(StorageConfig.TYPE, "s3")
            .with(StorageConfig.S3_BUCKET, BUCKET).with(StorageConfig.S3_PREFIX, "env")
            .with(StorageConfig.S3_ENDPOINT, S3.endpoint().toString()).with(StorageConfig.S3_PATH_STYLE, "true")
            .with(StorageConfig.ENCRYPT_AT_REST, "false").with(StorageConfig.S3_TIMEOUT, "10s")
            .with(StorageConfig.REDIRECT, "true");

    /** Raw bytes search of every object of the bucket (encryption at rest is off, so stored bytes are raw). */
    private static int objectsWithTheMarker() throws Exception {
        BlobStore served = server.app().stores().blobs();
        if (served instanceof io.berth.server.metrics.TimedBlobStore timed) {
            served = timed.delegate(); // the metrics decorator, over the plain-form fallback
        }
        BlobStore raw = ((io.berth.core.envelope.PlainFormFallback) served).store();
        java.util.List<Digest> all = new java.util.ArrayList<>();
        raw.forEach(b -> all.add(b.digest()));
        assertThat(all).as("objects in the bucket").isNotEmpty();
        int hits = 0;
        for (Digest o : all) {
            try (BlobStore.BlobReader r = raw.open(o, 0, -1)) {
                // ISO-8859-1 maps every byte to one char, so this is a raw byte search
                if (new String(r.stream().readAllBytes(), StandardCharsets.ISO_8859_1)
                        .contains(new String(MARKER, StandardCharsets.ISO_8859_1))) {
                    hits++;
                }
            }
        }
        return hits;
    }

    private static InProcessS3Proxy startS3() {
        System.setProperty("aws.accessKeyId", InProcessS3Proxy.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", InProcessS3Proxy.SECRET_KEY);
        return InProcessS3Proxy.start(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        S3.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void aKmsLayer_isCiphertextInTheBucket_andStreamedNotRedirected() throws Exception {
        server.ecr().createRepository(b -> b.repositoryName("s3kms/app").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.KMS_DSSE)));
        server.ecr().createRepository(b -> b.repositoryName("s3plain/app"));
        byte[] layer = new byte[300_000];
        new Random(3).nextBytes(layer);
        for (int at = 0; at + MARKER.length <= layer.length; at += 9_000) {
            System.arraycopy(MARKER, 0, layer, at, MARKER.length);
        }
        Digest d = server.pushBlob("s3kms/app", layer);

        HttpResponse<byte[]> get = server.get("/v2/s3kms/app/blobs/" + d);
        assertThat(get.statusCode()).as("streamed: %s", describe(get)).isEqualTo(200);
        assertThat(get.body()).isEqualTo(layer);
        HttpResponse<byte[]> range = server.get("/v2/s3kms/app/blobs/" + d, "Range", "bytes=131000-140000");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(layer, 131_000, 140_001));
        assertThat(objectsWithTheMarker()).as("only KMS repositories hold it: ciphertext only").isZero();

        // mounted into an AES256 repository: read from the sealed copy until a push there writes the plain form
        assertThat(server.send("POST", "/v2/s3plain/app/blobs/uploads/?mount=" + d + "&from=s3kms/app",
                new byte[0]).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> mounted = server.get("/v2/s3plain/app/blobs/" + d);
        assertThat(mounted.statusCode()).as("no plain object to redirect to: %s", describe(mounted))
                .isEqualTo(200);
        assertThat(mounted.body()).isEqualTo(layer);
        server.pushBlob("s3plain/app", layer);
        assertThat(server.get("/v2/s3plain/app/blobs/" + d).statusCode()).as("AES256 again: redirected")
                .isEqualTo(307);
        assertThat(objectsWithTheMarker()).as("the plain form, once").isEqualTo(1);

        MetadataStore meta = server.app().stores().metadata();
        Digest sealed = meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS_DSSE))
                .orElseThrow().sealedDigest();
        byte[] raw;
        try (BlobStore.BlobReader r = server.app().stores().blobs().open(sealed, 0, -1)) {
            raw = r.stream().readAllBytes();
        }
        assertThat(raw.length).as("two layers of segment overhead").isGreaterThan(layer.length);
        // ISO-8859-1 maps every byte to one char, so this is a raw byte search
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).as("the sealed object")
                .doesNotContain(new String(MARKER, StandardCharsets.ISO_8859_1));
        assertThat(Arrays.copyOf(raw, 4)).isEqualTo("BEK1".getBytes(StandardCharsets.US_ASCII));
    }
}
