package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.envelope.EnvelopeBlobs;
import io.berth.core.model.Digest;
import io.berth.core.spi.meta.EnvelopeStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.gc.GcProgress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Envelope encryption over real HTTP: a layer pushed into a KMS or KMS_DSSE repository is served from its sealed
 * copy through the repository's key (whole and in ranges), and a mount into a repository with another key adds a
 * wrapping, not a copy.
 */
class EnvelopeEncryptionIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    @Test
    void kmsLayers_areServedFromTheirSealedCopy_wholeAndInRanges_andAMountAddsAWrapping() throws Exception {
        EcrClient ecr = server.ecr();
        try (KmsClient kms = KmsRepositoryIT.kms(server)) {
            String a = kms.createKey(b -> { }).keyMetadata().arn();
            String b2 = kms.createKey(b -> { }).keyMetadata().arn();
            ecr.createRepository(b -> b.repositoryName("env/a").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(a)));
            ecr.createRepository(b -> b.repositoryName("env/b").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS).kmsKey(b2)));
            ecr.createRepository(b -> b.repositoryName("env/dsse").encryptionConfiguration(
                    e -> e.encryptionType(EncryptionType.KMS_DSSE).kmsKey(a)));
            byte[] layer = layer(200_000);
            Digest d = server.pushBlob("env/a", layer);
            assertThat(server.get("/v2/env/a/blobs/" + d).body()).isEqualTo(layer);
            HttpResponse<byte[]> range = server.get("/v2/env/a/blobs/" + d, "Range", "bytes=65530-65600");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(layer, 65530, 65601));

            assertThat(server.send("POST", "/v2/env/b/blobs/uploads/?mount=" + d + "&from=env/a", new byte[0])
                    .statusCode()).isEqualTo(201);
            assertThat(server.get("/v2/env/b/blobs/" + d).body()).as("byte-identical through the other key")
                    .isEqualTo(layer);
            MetadataStore meta = server.app().stores().metadata();
            assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, EnvelopeBlobs.KMS)))
                    .extracting(EnvelopeStore.Wrapping::keyArn).containsExactlyInAnyOrder(a, b2);

            server.pushBlob("env/dsse", layer);
            assertThat(server.get("/v2/env/dsse/blobs/" + d).body()).isEqualTo(layer);
            assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS_DSSE)))
                    .as("a second form, a second copy").isPresent();
            assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS)))
                    .hasValueSatisfying(s -> assertThat(s.size()).isEqualTo(layer.length));

            // no manifest references the layer: GC removes it with its sealed copies and their wrappings
            Digest sealed = meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, EnvelopeBlobs.KMS))
                    .orElseThrow().sealedDigest();
            assertThat(server.app().stores().blobs().stat(sealed)).isPresent();
            server.app().stores().garbageCollector(Duration.ZERO).run(false, GcProgress.NONE);
            assertThat(server.app().stores().blobs().stat(sealed)).as("sealed copy's bytes").isEmpty();
            for (String form : new String[] {EnvelopeBlobs.KMS, EnvelopeBlobs.KMS_DSSE}) {
                assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().sealed(d, form))).isEmpty();
                assertThat(meta.read((MetadataStore.Tx tx) -> tx.envelopes().wrappings(d, form))).isEmpty();
            }
        }
    }

    private static byte[] layer(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        byte[] marker = "BERTH-ENVELOPE-IT-MARKER".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at + marker.length <= size; at += 10_000) {
            System.arraycopy(marker, 0, b, at, marker.length);
        }
        return b;
    }
}
