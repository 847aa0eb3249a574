package io.berth.server.it;

import io.berth.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Helpers of the ECR ITs: an SDK client pointed at the test server, and small images pushed over /v2/. */
final class Ecr {
    private Ecr() {}

    /** Any credentials work while authentication is off; the identity work switches these to real keys. */
    static EcrClient client(TestServer server) {
        return EcrClient.builder()
                .endpointOverride(server.uri("/"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestServer.ROOT_KEY_ID, TestServer.ROOT_SECRET)))
                .build();
    }

    /** An image pushed over /v2/: its config and layer blobs, and the manifest JSON (not yet pushed). */
    record Pushed(Digest config, Digest layer, long layerSize, String manifest) {
        Digest digest() { return Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8)); }
    }

    /** Pushes a random layer and a config to {@code repo} and returns the manifest that references them. */
    static Pushed blobs(TestServer server, String repo, long seed) throws Exception {
        byte[] layer = new byte[1000 + (int) (seed % 100)];
        new Random(seed).nextBytes(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        Digest c = server.pushBlob(repo, config);
        Digest l = server.pushBlob(repo, layer);
        return new Pushed(c, l, layer.length, Fixtures.ociManifest(c, config.length, l, layer.length));
    }

    /** Pushes a whole image over /v2/ under {@code tag}; returns it. */
    static Pushed push(TestServer server, String repo, String tag, long seed) throws Exception {
        Pushed p = blobs(server, repo, seed);
        var r = server.putManifest(repo, tag, io.berth.core.model.MediaTypes.OCI_MANIFEST, p.manifest());
        if (r.statusCode() != 201) {
            throw new AssertionError(TestServer.describe(r));
        }
        return p;
    }
}
