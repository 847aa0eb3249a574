package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.*;

/** The layer operations through the AWS SDK: upload in parts, availability, and signed download URLs. */
class EcrLayerIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer();
    static EcrClient ecr;

    @BeforeAll
    static void client() { ecr = SERVER.ecr(); }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String upload(String repo, byte[] content, int partSize) {
        String id = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        for (int off = 0; off < content.length; off += partSize) {
            int from = off;
            int to = Math.min(content.length, off + partSize);
            UploadLayerPartResponse r = ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(id)
                    .partFirstByte((long) from).partLastByte((long) to - 1)
                    .layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(content, from, to))));
            assertThat(r.lastByteReceived()).isEqualTo(to - 1);
        }
        return id;
    }

    @Test
    void uploadInParts_thenAvailable_andPullableOverV2() throws Exception {
        ecr.createRepository(b -> b.repositoryName("layers/ok"));
        byte[] layer = random(300_000, 1);
        Digest d = Digest.sha256Of(layer);
        assertThat(ecr.batchCheckLayerAvailability(b -> b.repositoryName("layers/ok").layerDigests(d.toString()))
                .layers().get(0).layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);
        String id = upload("layers/ok", layer, 100_000);
        CompleteLayerUploadResponse done = ecr.completeLayerUpload(b -> b.repositoryName("layers/ok").uploadId(id)
                .layerDigests(d.toString()));
        assertThat(done.layerDigest()).isEqualTo(d.toString());
        BatchCheckLayerAvailabilityResponse check = ecr.batchCheckLayerAvailability(b -> b
                .repositoryName("layers/ok").layerDigests(d.toString(), "nonsense"));
        assertThat(check.layers().get(0).layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE);
        assertThat(check.layers().get(0).layerSize()).isEqualTo(layer.length);
        assertThat(check.failures()).extracting(LayerFailure::failureCode)
                .containsExactly(LayerFailureCode.INVALID_LAYER_DIGEST);
        HttpResponse<byte[]> pulled = SERVER.get("/v2/layers/ok/blobs/" + d);
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(layer);
        // again: the layer exists now
        String again = upload("layers/ok", layer, 300_000);
        assertThatThrownBy(() -> ecr.completeLayerUpload(b -> b.repositoryName("layers/ok").uploadId(again)
                .layerDigests(d.toString()))).isInstanceOf(LayerAlreadyExistsException.class);
    }

    @Test
    void nonContiguousPart_invalidLayerPart_andUploadKeepsWhatArrived() {
        ecr.createRepository(b -> b.repositoryName("layers/gap"));
        byte[] layer = random(2000, 2);
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("layers/gap")).uploadId();
        ecr.uploadLayerPart(b -> b.repositoryName("layers/gap").uploadId(id).partFirstByte(0L).partLastByte(999L)
                .layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 0, 1000))));
        assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("layers/gap").uploadId(id)
                .partFirstByte(1500L).partLastByte(1999L)
                .layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 1500, 2000)))))
                .isInstanceOf(InvalidLayerPartException.class);
        assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("layers/gap").uploadId(id)
                .partFirstByte(1000L).partLastByte(1999L)
                .layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 1000, 1500)))))
                .isInstanceOf(InvalidLayerPartException.class);
        ecr.uploadLayerPart(b -> b.repositoryName("layers/gap").uploadId(id).partFirstByte(1000L)
                .partLastByte(1999L).layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 1000, 2000))));
        ecr.completeLayerUpload(b -> b.repositoryName("layers/gap").uploadId(id)
                .layerDigests(Digest.sha256Of(layer).toString()));
    }

    @Test
    void wrongDigest_invalidLayer_nothingStored() {
        ecr.createRepository(b -> b.repositoryName("layers/bad"));
        byte[] layer = random(500, 3);
        String id = upload("layers/bad", layer, 500);
        String wrong = Digest.sha256Of(new byte[] {1}).toString();
        assertThatThrownBy(() -> ecr.completeLayerUpload(b -> b.repositoryName("layers/bad").uploadId(id)
                .layerDigests(wrong))).isInstanceOf(InvalidLayerException.class);
        assertThat(ecr.batchCheckLayerAvailability(b -> b.repositoryName("layers/bad")
                .layerDigests(Digest.sha256Of(layer).toString(), wrong)).layers())
                .extracting(Layer::layerAvailability).containsOnly(LayerAvailability.UNAVAILABLE);
    }

    @Test
    void errors_unknownUploadRepositoryAndEmptyUpload() {
        ecr.createRepository(b -> b.repositoryName("layers/errs"));
        assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("layers/errs").uploadId("nope")
                .partFirstByte(0L).partLastByte(0L).layerPartBlob(SdkBytes.fromByteArray(new byte[1]))))
                .isInstanceOf(UploadNotFoundException.class);
        assertThatThrownBy(() -> ecr.initiateLayerUpload(b -> b.repositoryName("layers/absent")))
                .isInstanceOf(RepositoryNotFoundException.class);
        String id = ecr.initiateLayerUpload(b -> b.repositoryName("layers/errs")).uploadId();
        assertThatThrownBy(() -> ecr.completeLayerUpload(b -> b.repositoryName("layers/errs").uploadId(id)
                .layerDigests(Digest.sha256Of(new byte[0]).toString()))).isInstanceOf(EmptyUploadException.class);
        assertThatThrownBy(() -> ecr.uploadLayerPart(b -> b.repositoryName("layers/errs").uploadId(id)
                .partFirstByte(0L).layerPartBlob(SdkBytes.fromByteArray(new byte[1]))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("partLastByte");
    }

    @Test
    void downloadUrl_onlyForReferencedLayers_servedWithoutCredentials_andSignatureChecked() throws Exception {
        ecr.createRepository(b -> b.repositoryName("layers/dl"));
        Ecr.Pushed p = Ecr.push(SERVER, "layers/dl", "v1", 4);
        byte[] loose = random(100, 5);
        Digest looseDigest = SERVER.pushBlob("layers/dl", loose);
        assertThatThrownBy(() -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl")
                .layerDigest(looseDigest.toString()))).isInstanceOf(LayerInaccessibleException.class);
        assertThatThrownBy(() -> ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl")
                .layerDigest(Digest.sha256Of(new byte[] {7}).toString()))).isInstanceOf(LayersNotFoundException.class);
        String url = ecr.getDownloadUrlForLayer(b -> b.repositoryName("layers/dl").layerDigest(p.layer().toString()))
                .downloadUrl();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256Of(r.body())).isEqualTo(p.layer());
        HttpResponse<byte[]> tampered = http.send(HttpRequest.newBuilder(URI.create(url.replace("sig=", "sig=x")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tampered.statusCode()).isEqualTo(403);
        String otherLayer = url.replace(p.layer().toString(), p.config().toString());
        assertThat(http.send(HttpRequest.newBuilder(URI.create(otherLayer)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(403);
    }
}
