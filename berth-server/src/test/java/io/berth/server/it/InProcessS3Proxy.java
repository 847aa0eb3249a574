package io.berth.server.it;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3 server (S3Proxy, from berth-storage-s3's tests) in this JVM, behind its own class loader: S3Proxy is
 * built on Jetty 11 and Berth on Jetty 12, so they cannot share one. The class path is the one berth-storage-s3's
 * build writes to {@code target/s3proxy.classpath}.
 */
final class InProcessS3Proxy implements AutoCloseable {
    static final String ACCESS_KEY = "AKIAS3PROXYTEST00001";
    static final String SECRET_KEY = "s3proxy-test-secret";

    private final URLClassLoader loader;
    private final Object server;
    private final URI endpoint;
    private boolean stopped;

    private InProcessS3Proxy(URLClassLoader loader, Object server, URI endpoint) {
        this.loader = loader;
        this.server = server;
        this.endpoint = endpoint;
    }

    static InProcessS3Proxy start(String... buckets) {
        Path module = Path.of("..", "berth-storage-s3", "target").toAbsolutePath().normalize();
        try {
            List<URL> urls = new ArrayList<>();
            urls.add(module.resolve("test-classes").toUri().toURL());
            for (String entry : Files.readString(module.resolve("s3proxy.classpath")).trim()
                    .split(java.io.File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader); // jclouds finds its providers, and Jetty 11 its threads, by it
            try {
                Class<?> type = loader.loadClass("io.berth.storage.s3.S3ProxyServer");
                Object server = type.getMethod("start", String[].class).invoke(null, (Object) buckets);
                URI endpoint = (URI) type.getMethod("endpoint").invoke(server);
                return new InProcessS3Proxy(loader, server, endpoint);
            } finally {
                thread.setContextClassLoader(previous);
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start S3Proxy from " + module
                    + " (build berth-storage-s3 first: ./mvnw -pl berth-server -am …)", e);
        }
    }

    /**
     * Starts the server and points the SDK's default credential chain at its key (the chain reads these system
     * properties first, as it would AWS_ACCESS_KEY_ID); {@link #closeForSdk} undoes both.
     */
    static InProcessS3Proxy startForSdk(String... buckets) {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return start(buckets);
    }

    void closeForSdk() throws Exception {
        try {
            close();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** Stops the server (a test of an S3 outage); {@link #close} also releases the class loader. */
    synchronized void stop() throws ReflectiveOperationException {
        if (!stopped) {
            stopped = true;
            Method close = server.getClass().getMethod("close");
            close.invoke(server);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            loader.close();
        }
    }

}
