package io.berth.storage.s3;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 protocol server in this JVM: S3Proxy over jclouds' in-memory ("transient") blob store, with SigV4
 * authentication. Its signature uses JDK types only, so berth-server's tests can start it through an isolated class
 * loader (S3Proxy is built on Jetty 11, berth-server on Jetty 12).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIAS3PROXYTEST00001";
    public static final String SECRET_KEY = "s3proxy-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts on a random loopback port with {@code buckets} created. */
    public static S3ProxyServer start(String... buckets) throws Exception {
        return start(0, buckets);
    }

    public static S3ProxyServer start(int port, String... buckets) throws Exception {
        Properties overrides = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("ignored", "ignored")
                .overrides(overrides).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        return new S3ProxyServer(proxy, context);
    }

    /**
     * {@code S3ProxyServer PORT BUCKET…}: the same server as a process, for CI's interop stage on S3
     * ({@code ci/s3proxy.sh}). Runs until killed; credentials are {@link #ACCESS_KEY} / {@link #SECRET_KEY}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: S3ProxyServer PORT BUCKET...");
            System.exit(2);
        }
        S3ProxyServer server = start(Integer.parseInt(args[0]),
                java.util.Arrays.copyOfRange(args, 1, args.length));
        System.out.println("S3Proxy listening on " + server.endpoint() + ", buckets "
                + String.join(",", java.util.Arrays.copyOfRange(args, 1, args.length)));
        System.out.flush();
        Thread.currentThread().join();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Keys in a bucket under a prefix, for tests that look at what the store left behind. */
    public java.util.List<String> keys(String bucket, String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        org.jclouds.blobstore.options.ListContainerOptions options =
                org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix(prefix).recursive();
        String marker = null;
        do {
            if (marker != null) {
                options = options.afterMarker(marker);
            }
            var page = context.getBlobStore().list(bucket, options);
            page.forEach(m -> keys.add(m.getName()));
            marker = page.getNextMarker();
        } while (marker != null);
        return keys;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
