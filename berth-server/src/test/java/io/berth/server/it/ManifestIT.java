package io.berth.server.it;

import static io.berth.server.it.TestServer.describe;
import static io.berth.server.it.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ManifestIT {
    @RegisterExtension
    static final TestServer server = new TestServer();

    private static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);

    private String pushImage(String repo, String tag, boolean docker) throws Exception {
        Digest config = server.pushBlob(repo, CONFIG);
        Digest layer = server.pushBlob(repo, LAYER);
        String json = docker ? Fixtures.dockerManifest(config, CONFIG.length, layer, LAYER.length)
                : Fixtures.ociManifest(config, CONFIG.length, layer, LAYER.length);
        String type = docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
        HttpResponse<byte[]> put = server.putManifest(repo, tag, type, json);
        assertThat(put.statusCode()).as("PUT %s manifest: %s", type, describe(put)).isEqualTo(201);
        Digest d = Digest.sha256Of(json.getBytes(StandardCharsets.UTF_8));
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(put.headers().firstValue("Location")).contains("/v2/" + repo + "/manifests/" + d);
        assertPulls(repo, tag, type, json);
        assertPulls(repo, d.toString(), type, json);
        return json;
    }

    private static void assertPulls(String repo, String ref, String type, String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String d = Digest.sha256Of(bytes).toString();
        HttpResponse<byte[]> get = server.get("/v2/" + repo + "/manifests/" + ref, "Accept", type);
        assertThat(get.statusCode()).as("GET manifest %s: %s", ref, describe(get)).isEqualTo(200);
        assertThat(get.body()).as("exact bytes back").isEqualTo(bytes);
        assertThat(get.headers().firstValue("Content-Type")).contains(type);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d);
        assertThat(get.headers().firstValue("ETag")).contains("\"" + d + "\"");
        HttpResponse<byte[]> head = server.head("/v2/" + repo + "/manifests/" + ref);
        assertThat(head.statusCode()).as("HEAD manifest %s: %s", ref, describe(head)).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(head.headers().firstValue("Content-Type")).contains(type);
    }

    @Test
    void ociAndDockerManifests() throws Exception {
        pushImage("m/oci", "v1", false);
        pushImage("m/docker", "v1", true);
    }

    @Test
    void indexesOfBothFlavours() throws Exception {
        String child = pushImage("m/multi", "amd64", false);
        Digest childDigest = Digest.sha256Of(child.getBytes(StandardCharsets.UTF_8));
        String oci = Fixtures.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, childDigest, child.length());
        HttpResponse<byte[]> put = server.putManifest("m/multi", "latest", MediaTypes.OCI_INDEX, oci);
        assertThat(put.statusCode()).as("PUT OCI index: %s", describe(put)).isEqualTo(201);
        assertPulls("m/multi", "latest", MediaTypes.OCI_INDEX, oci);

        String dchild = pushImage("m/dmulti", "amd64", true);
        Digest dchildDigest = Digest.sha256Of(dchild.getBytes(StandardCharsets.UTF_8));
        String list = Fixtures.index(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, dchildDigest,
                dchild.length());
        put = server.putManifest("m/dmulti", "latest", MediaTypes.DOCKER_MANIFEST_LIST, list);
        assertThat(put.statusCode()).as("PUT Docker manifest list: %s", describe(put)).isEqualTo(201);
        assertPulls("m/dmulti", "latest", MediaTypes.DOCKER_MANIFEST_LIST, list);
    }

    @Test
    void artifactWithSubjectAndReferrers() throws Exception {
        String image = pushImage("m/art", "v1", false);
        Digest subject = Digest.sha256Of(image.getBytes(StandardCharsets.UTF_8));
        server.pushBlob("m/art", Fixtures.EMPTY_JSON);
        byte[] sig = "signature".getBytes(StandardCharsets.UTF_8);
        Digest sigDigest = server.pushBlob("m/art", sig);
        String sbomType = "application/vnd.example.sbom";
        String signType = "application/vnd.example.signature";
        String a1 = Fixtures.artifact(signType, sigDigest, sig.length, subject, image.length());
        String a2 = Fixtures.artifact(sbomType, sigDigest, sig.length, subject, image.length());
        Digest d1 = Digest.sha256Of(a1.getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> put = server.putManifest("m/art", d1.toString(), MediaTypes.OCI_MANIFEST, a1);
        assertThat(put.statusCode()).as("PUT artifact by digest: %s", describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).as("OCI-Subject").contains(subject.toString());
        put = server.putManifest("m/art", Digest.sha256Of(a2.getBytes(StandardCharsets.UTF_8)).toString(),
                MediaTypes.OCI_MANIFEST, a2);
        assertThat(put.statusCode()).as("PUT second artifact: %s", describe(put)).isEqualTo(201);

        HttpResponse<byte[]> all = server.get("/v2/m/art/referrers/" + subject);
        assertThat(all.statusCode()).as("referrers: %s", describe(all)).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_INDEX);
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        assertThat(text(all)).contains("\"schemaVersion\":2").contains(MediaTypes.OCI_INDEX)
                .contains(d1.toString()).contains(sbomType).contains(signType);

        HttpResponse<byte[]> filtered = server.get("/v2/m/art/referrers/" + subject + "?artifactType=" + sbomType);
        assertThat(filtered.statusCode()).as("filtered referrers: %s", describe(filtered)).isEqualTo(200);
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        assertThat(text(filtered)).contains(sbomType).doesNotContain(signType);

        Digest unknown = Digest.sha256Of("nothing refers to me".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> none = server.get("/v2/m/art/referrers/" + unknown);
        assertThat(none.statusCode()).as("referrers of unknown digest: %s", describe(none)).isEqualTo(200);
        assertThat(text(none)).contains("\"manifests\":[]");
    }

    @Test
    void deleteByTagAndByDigest() throws Exception {
        String json = pushImage("m/del", "v1", false);
        String d = Digest.sha256Of(json.getBytes(StandardCharsets.UTF_8)).toString();
        server.putManifest("m/del", "v2", MediaTypes.OCI_MANIFEST, json);
        HttpResponse<byte[]> del = server.send("DELETE", "/v2/m/del/manifests/v1", null);
        assertThat(del.statusCode()).as("DELETE by tag: %s", describe(del)).isEqualTo(202);
        assertThat(server.get("/v2/m/del/manifests/v1").statusCode()).as("tag gone").isEqualTo(404);
        assertThat(server.get("/v2/m/del/manifests/" + d).statusCode()).as("manifest stays").isEqualTo(200);
        del = server.send("DELETE", "/v2/m/del/manifests/" + d, null);
        assertThat(del.statusCode()).as("DELETE by digest: %s", describe(del)).isEqualTo(202);
        HttpResponse<byte[]> gone = server.get("/v2/m/del/manifests/" + d);
        assertThat(gone.statusCode()).as("after delete: %s", describe(gone)).isEqualTo(404);
        assertThat(text(gone)).contains("MANIFEST_UNKNOWN");
        assertThat(server.get("/v2/m/del/manifests/v2").statusCode()).as("its tags went too").isEqualTo(404);
    }
}
