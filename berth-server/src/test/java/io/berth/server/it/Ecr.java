package io.berth.server.it;

import io.berth.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Helpers of the ECR ITs: SDK clients of other callers than the root, and small images pushed over /v2/. */
final class Ecr {
    private Ecr() {}

    /**
     * An SDK client at {@code server} signed with {@code credentials}, for callers other than the root (whose
     * client is {@link TestServer#ecr()}); the caller closes it.
     */
    /** "__type: message" of the ECR error {@code call} fails with; an AssertionError when it succeeds. */
    static String errorOf(Runnable call) {
        try {
            call.run();
        } catch (software.amazon.awssdk.services.ecr.model.EcrException e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("the call succeeded");
    }

    static EcrClient client(TestServer server, AwsCredentialsProvider credentials) {
        return EcrClient.builder()
                .endpointOverride(server.uri("/"))
                .region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials)
                .build();
    }

    /** {@link #client(TestServer, AwsCredentialsProvider)} signed with this access key. */
    static EcrClient client(TestServer server, String accessKeyId, String secret) {
        return client(server, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)));
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
