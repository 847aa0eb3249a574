package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.envelope.EnvelopeBlobs;
import io.berth.core.model.Digest;
import io.berth.core.spi.meta.EnvelopeStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.config.StorageConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A KMS repository's upload session is sealed as it streams in: with Berth's own encryption at rest off (so only
 * the envelope can hide the bytes), no plaintext byte of a chunked upload rests under the data directory before or
 * after its commit, the blob never has a plain form, a second writer of the session (as from another node) is refused
 * with BLOB_UPLOAD_INVALID, a chunk at the wrong offset gets 416, and a wrong digest publishes nothing.
 */
class SealedUploadIT {
    private static final byte[] NEEDLE = "BERTH-SEALED-UPLOAD-MARKER".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final TestServer server = new TestServer().with(StorageConfig.ENCRYPT_AT_REST, "false");

    @Test
    void aChunkedUpload_neverRestsPlain_andConcurrentOrMisplacedWritesAreRefused() throws Exception {
        try (KmsClient kms = KmsRepositoryIT.kms(server)) {
            String key = kms.createKey(b -> { }).keyMetadata().arn();
            server.ecr().createRepository(b -> b.repositoryName("sealed/app").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(key)));
        }
        byte[] layer = layer(300_000);
        Digest d = Digest.sha256Of(layer);
        String location = start();
        String id = location.substring(location.lastIndexOf('/') + 1);

        HttpResponse<byte[]> first = patch(location, Arrays.copyOfRange(layer, 0, 170_000), "0-169999");
        assertThat(first.statusCode()).as(TestServer.describe(first)).isEqualTo(202);
        assertThat(filesWithMarker()).as("files holding the upload's plaintext, mid-upload").isEmpty();
        MetadataStore meta = server.app().stores().metadata();
        EnvelopeStore.Session session = meta.read((MetadataStore.Tx tx) -> tx.envelopes().session(id)).orElseThrow();
        assertThat(session.segments()).as("full 64 KiB segments sealed").isEqualTo(2);

        HttpResponse<byte[]> misplaced = patch(location, Arrays.copyOfRange(layer, 170_000, 200_000),
                "100000-129999");
        assertThat(misplaced.statusCode()).as(TestServer.describe(misplaced)).isEqualTo(416);

        // another node holds the session: this one refuses to write rather than interleave
        Instant now = Instant.now();
        assertThat(meta.write((MetadataStore.Tx tx) -> tx.envelopes().claimSession(id, "other-node", now,
                now.minusSeconds(60)))).isTrue();
        HttpResponse<byte[]> concurrent = patch(location, Arrays.copyOfRange(layer, 170_000, 300_000),
                "170000-299999");
        assertThat(concurrent.statusCode()).as(TestServer.describe(concurrent)).isEqualTo(400);
        assertThat(TestServer.text(concurrent)).contains("BLOB_UPLOAD_INVALID");
        EnvelopeStore.Session held = meta.read((MetadataStore.Tx tx) -> tx.envelopes().session(id)).orElseThrow();
        assertThat(meta.write((MetadataStore.Tx tx) -> tx.envelopes().releaseSession(id, "other-node",
                held.segments(), held.tail()))).isTrue();

        HttpResponse<byte[]> rest = patch(location, Arrays.copyOfRange(layer, 170_000, 300_000), "170000-299999");
        assertThat(rest.statusCode()).as(TestServer.describe(rest)).isEqualTo(202);
        HttpResponse<byte[]> done = server.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                + d, new byte[0]);
        assertThat(done.statusCode()).as(TestServer.describe(done)).isEqualTo(201);

        assertThat(server.get("/v2/sealed/app/blobs/" + d).body()).isEqualTo(layer);
        HttpResponse<byte[]> range = server.get("/v2/sealed/app/blobs/" + d, "Range", "bytes=131000-196700");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(layer, 131000, 196701));
        assertThat(filesWithMarker()).as("files holding the layer's plaintext, after the push").isEmpty();
        assertThat(server.app().stores().blobs().stat(d)).as("the blob's plain form: never written").isEmpty();
        assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS))).isPresent();
        assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().session(id))).as("session row").isEmpty();

        // a wrong digest: DIGEST_INVALID, and nothing is published under either name
        byte[] other = layer(90_000);
        other[5] ^= 1;
        String second = start();
        assertThat(patch(second, other, "0-89999").statusCode()).isEqualTo(202);
        Digest wrong = Digest.sha256Of("not it".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> mismatch = server.send("PUT", second + (second.contains("?") ? "&" : "?")
                + "digest=" + wrong, new byte[0]);
        assertThat(mismatch.statusCode()).as(TestServer.describe(mismatch)).isEqualTo(400);
        assertThat(TestServer.text(mismatch)).contains("DIGEST_INVALID");
        assertThat(server.head("/v2/sealed/app/blobs/" + wrong).statusCode()).isEqualTo(404);
        assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(wrong, EnvelopeBlobs.KMS))).isEmpty();
    }

    @Test
    void gc_removesAKeysWrapping_withTheLastRepositoryOfThatKey_andKeepsTheOthers() throws Exception {
        String a;
        String b;
        try (KmsClient kms = KmsRepositoryIT.kms(server)) {
            a = kms.createKey(k -> { }).keyMetadata().arn();
            b = kms.createKey(k -> { }).keyMetadata().arn();
        }
        for (String[] repo : new String[][] {{"wrap/a", a}, {"wrap/b", b}}) {
            server.ecr().createRepository(r -> r.repositoryName(repo[0]).encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(repo[1])));
        }
        byte[] layer = layer(120_000);
        layer[0] ^= 3;
        Digest d = server.pushBlob("wrap/a", layer);
        assertThat(server.send("POST", "/v2/wrap/b/blobs/uploads/?mount=" + d + "&from=wrap/a", new byte[0])
                .statusCode()).isEqualTo(201);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest c = server.pushBlob("wrap/b", config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + d + "\",\"size\":" + layer.length
                + "}]}";
        HttpResponse<byte[]> put = server.putManifest("wrap/b", "v1", "application/vnd.oci.image.manifest.v1+json",
                manifest);
        assertThat(put.statusCode()).as(TestServer.describe(put)).isEqualTo(201);
        MetadataStore meta = server.app().stores().metadata();
        assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, EnvelopeBlobs.KMS)))
                .extracting(EnvelopeStore.Wrapping::keyArn).containsExactlyInAnyOrder(a, b);

        // wrap/a, the only repository under key a, stops holding the layer; wrap/b's image still does
        assertThat(server.send("DELETE", "/v2/wrap/a/blobs/" + d, null).statusCode()).isEqualTo(202);
        server.app().stores().garbageCollector(java.time.Duration.ZERO).run(false,
                io.berth.core.gc.GcProgress.NONE);

        assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, EnvelopeBlobs.KMS)))
                .as("only the wrapping of a key a repository still holds the blob under")
                .extracting(EnvelopeStore.Wrapping::keyArn).containsExactly(b);
        assertThat(server.get("/v2/wrap/b/blobs/" + d).body()).isEqualTo(layer);
    }

    private static String start() throws Exception {
        HttpResponse<byte[]> r = server.send("POST", "/v2/sealed/app/blobs/uploads/", new byte[0]);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<byte[]> patch(String location, byte[] chunk, String range) throws Exception {
        return server.send("PATCH", location, chunk, "Content-Range", range, "Content-Type",
                "application/octet-stream");
    }

    private static byte[] layer(int size) {
        byte[] b = new byte[size];
        new Random(11).nextBytes(b);
        for (int at = 0; at + NEEDLE.length <= size; at += 10_000) {
            System.arraycopy(NEEDLE, 0, b, at, NEEDLE.length);
        }
        return b;
    }

    private static List<Path> filesWithMarker() throws IOException {
        return EncryptionAtRestIT.filesWithMarker(server.data(), NEEDLE);
    }
}
