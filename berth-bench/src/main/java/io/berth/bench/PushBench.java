package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small-image pushes the way a real client does them: for the config and each of two 4 KiB random layers a
 * {@code HEAD} (404), a {@code POST} and a {@code PUT ?digest=}, then the manifest {@code PUT} — 10 requests per image.
 * All content and digests are generated before the clock starts. Also creates the repositories for the catalog test.
 */
final class PushBench {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String ACCEPT = MANIFEST_TYPE + ", application/vnd.docker.distribution.manifest.v2+json";

    record Blob(byte[] data, String digest) {
        static Blob of(byte[] data) {
            return new Blob(data, BlobBench.digest(data, 0, data.length));
        }
    }

    record Image(String repo, String tag, Blob config, List<Blob> layers, byte[] manifest) { }

    private final RegistryServer server;

    PushBench(RegistryServer server) {
        this.server = server;
    }

    /** Builds an image with random content: config plus {@code layerCount} layers of {@code layerSize} bytes. */
    static Image image(String repo, String tag, int layerCount, int layerSize) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<Blob> layers = new ArrayList<>();
        StringBuilder diffIds = new StringBuilder();
        for (int i = 0; i < layerCount; i++) {
            byte[] b = new byte[layerSize];
            r.nextBytes(b);
            Blob l = Blob.of(b);
            layers.add(l);
            diffIds.append(i == 0 ? "" : ",").append('"').append(l.digest()).append('"');
        }
        String cfg = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"NONCE=" + r.nextLong()
                + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        Blob config = Blob.of(cfg.getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder();
        m.append("{\"schemaVersion\":2,\"mediaType\":\"").append(MANIFEST_TYPE).append("\",")
                .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"")
                .append(config.digest()).append("\",\"size\":").append(config.data().length).append("},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            m.append(i == 0 ? "" : ",")
                    .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(layers.get(i).digest()).append("\",\"size\":").append(layers.get(i).data().length)
                    .append('}');
        }
        m.append("]}");
        return new Image(repo, tag, config, layers, m.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<Image> images(String repo, int n) {
        List<Image> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(image(repo, "t" + i, 2, 4096));
        }
        return list;
    }

    static void push(HttpConn c, Image img) throws IOException {
        pushBlob(c, img.repo(), img.config());
        for (Blob l : img.layers()) {
            pushBlob(c, img.repo(), l);
        }
        HttpConn.Response r = c.send("PUT", "/v2/" + img.repo() + "/manifests/" + img.tag(),
                Map.of("Content-Type", MANIFEST_TYPE), img.manifest());
        BlobBench.expect(r, 201, "PUT manifest");
    }

    private static void pushBlob(HttpConn c, String repo, Blob b) throws IOException {
        HttpConn.Response head = c.send("HEAD", "/v2/" + repo + "/blobs/" + b.digest(), null);
        if (head.status() == 200) {
            return;
        }
        if (head.status() != 404) {
            throw new IOException("HEAD blob: expected 404 or 200, got " + head.status());
        }
        String loc = BlobBench.startUpload(c, repo);
        HttpConn.Response put = c.send("PUT", HttpConn.withParam(loc, "digest", BlobBench.digestParam(b.digest())),
                BlobBench.OCTETS, b.data());
        BlobBench.expect(put, 201, "PUT blob");
    }

    /** Pushes the images over {@code connections} connections; returns images per second. */
    double pushAll(List<Image> images, int connections) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            long t0 = System.nanoTime();
            List<Future<Void>> fs = new ArrayList<>();
            for (int t = 0; t < connections; t++) {
                fs.add(pool.submit(() -> {
                    try (HttpConn c = server.connect()) {
                        for (int i = next.getAndIncrement(); i < images.size(); i = next.getAndIncrement()) {
                            push(c, images.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    next.set(images.size());
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            return images.size() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Warm-up (a tenth of the images, untimed, other repository), then the timed push of {@code n} images. */
    Measurement run(String repo, int n, int connections) throws Exception {
        pushAll(images(repo + "-warmup", Math.max(5, n / 10)), connections);
        List<Image> imgs = images(repo, n);
        return Measurement.single(pushAll(imgs, connections), "images/s");
    }
}
