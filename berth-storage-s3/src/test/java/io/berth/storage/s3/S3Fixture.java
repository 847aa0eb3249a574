package io.berth.storage.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** One S3Proxy for the whole test JVM, and stores over it; a test's own prefix keeps it apart from the others. */
final class S3Fixture {
    static final String BUCKET = "berth-test";
    static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
    private static S3ProxyServer server;

    private S3Fixture() {}

    static synchronized S3ProxyServer server() {
        if (server == null) {
            try {
                server = S3ProxyServer.start(BUCKET);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
        return server;
    }

    static S3Settings settings(String prefix) {
        // S3Proxy does not implement SSE-S3 (it answers 501 to the header): as storage.encrypt-at-rest: false
        return new S3Settings(BUCKET, prefix, "us-east-1", Optional.of(server().endpoint()), true,
                Duration.ofSeconds(10)).withServerSideEncryption(false);
    }

    static S3Settings settings(String prefix, URI endpoint, Duration timeout) {
        return new S3Settings(BUCKET, prefix, "us-east-1", Optional.of(endpoint), true, timeout)
                .withServerSideEncryption(false);
    }

    static S3BlobStore store(String prefix) {
        try {
            return S3BlobStore.open(settings(prefix), CREDENTIALS);
        } catch (S3SetupException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A prefix unique to a test's temporary directory, so two stores of one test share their storage. */
    static String prefixFor(Path dir) {
        return "t" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()) + "/berth";
    }

    /** Every byte of a stored blob. */
    static byte[] read(io.berth.core.spi.blob.BlobStore s, io.berth.core.model.Digest digest)
            throws java.io.IOException {
        try (io.berth.core.spi.blob.BlobStore.BlobReader reader = s.open(digest, 0, -1);
             java.io.InputStream in = reader.stream()) {
            return in.readAllBytes();
        }
    }

    /** {@code n} bytes of a seeded random sequence. */
    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
