package io.berth.bench;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Large-blob scenarios: monolithic upload (POST, then one PUT ?digest= with the body streamed), chunked upload
 * (POST, PATCHes with Content-Range, PUT ?digest=) and download (GET). Each upload run uses a new repository and a
 * blob whose first bytes are re-randomised, so its digest is new and the registry cannot skip the work. Digests
 * are computed before the clock starts, as a real client knows them before it pushes. Each upload kind starts with
 * one untimed warm-up upload (JIT, heap growth, first files), as a long-running registry would have had.
 */
final class BlobBench {

    static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");
    private static int repoCounter;

    private final RegistryServer server;
    private final Options opt;
    private final byte[] blob;
    private String lastRepo;
    private String lastDigest;

    BlobBench(RegistryServer server, Options opt, byte[] blob) {
        this.server = server;
        this.opt = opt;
        this.blob = blob;
    }

    static byte[] randomBlob(int mib) {
        byte[] b = new byte[mib << 20];
        java.util.SplittableRandom r = new java.util.SplittableRandom(ThreadLocalRandom.current().nextLong());
        for (int i = 0; i + 8 <= b.length; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (v >>> (k * 8));
            }
        }
        return b;
    }

    /** Makes the blob's content (and so its digest) new; returns {@code sha256:<hex>}. */
    private String freshen() {
        byte[] head = new byte[64];
        ThreadLocalRandom.current().nextBytes(head);
        System.arraycopy(head, 0, blob, 0, head.length);
        return digest(blob, 0, blob.length);
    }

    static String digest(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digestParam(String digest) {
        return digest.replace(":", "%3A");
    }

    private static synchronized String newRepo(String kind) {
        return "bench/" + kind + "-" + (++repoCounter);
    }

    private double mibPerSec(long nanos) {
        return blob.length / (1024.0 * 1024.0) / (nanos / 1e9);
    }

    Measurement uploadMonolithic() throws IOException {
        double[] r = new double[opt.runs];
        for (int i = -1; i < opt.runs; i++) { // run -1 is an untimed warm-up
            String digest = freshen();
            String repo = newRepo("mono");
            try (HttpConn c = server.connect()) {
                long t0 = System.nanoTime();
                String loc = startUpload(c, repo);
                HttpConn.Response put = c.send("PUT", HttpConn.withParam(loc, "digest", digestParam(digest)),
                        OCTETS, blob, 0, blob.length, 4096);
                expect(put, 201, "PUT blob upload");
                if (i >= 0) {
                    r[i] = mibPerSec(System.nanoTime() - t0);
                }
            }
            lastRepo = repo;
            lastDigest = digest;
        }
        return Measurement.median(r, "MiB/s");
    }

    Measurement uploadChunked() throws IOException {
        double[] r = new double[opt.runs];
        int chunk = opt.chunkMiB << 20;
        for (int i = -1; i < opt.runs; i++) { // run -1 is an untimed warm-up
            String digest = freshen();
            String repo = newRepo("chunked");
            try (HttpConn c = server.connect()) {
                long t0 = System.nanoTime();
                String loc = startUpload(c, repo);
                for (int off = 0; off < blob.length; off += chunk) {
                    int len = Math.min(chunk, blob.length - off);
                    Map<String, String> h = Map.of("Content-Type", "application/octet-stream",
                            "Content-Range", off + "-" + (off + len - 1));
                    HttpConn.Response patch = c.send("PATCH", loc, h, blob, off, len, 4096);
                    expect(patch, 202, "PATCH blob upload");
                    loc = HttpConn.pathOf(patch.header("location"));
                }
                HttpConn.Response put = c.send("PUT", HttpConn.withParam(loc, "digest", digestParam(digest)),
                        null, new byte[0]);
                expect(put, 201, "PUT (close) chunked upload");
                if (i >= 0) {
                    r[i] = mibPerSec(System.nanoTime() - t0);
                }
            }
            lastRepo = repo;
            lastDigest = digest;
        }
        return Measurement.median(r, "MiB/s");
    }

    /** Downloads the last uploaded blob (uploading one, untimed, if no upload ran): one checked warm-up, then runs. */
    Measurement download() throws IOException {
        if (lastDigest == null) {
            String digest = freshen();
            String repo = newRepo("download");
            try (HttpConn c = server.connect()) {
                String loc = startUpload(c, repo);
                expect(c.send("PUT", HttpConn.withParam(loc, "digest", digestParam(digest)), OCTETS, blob, 0,
                        blob.length, 4096), 201, "PUT blob upload");
            }
            lastRepo = repo;
            lastDigest = digest;
        }
        String path = "/v2/" + lastRepo + "/blobs/" + lastDigest;
        double[] r = new double[opt.runs];
        try (HttpConn c = server.connect()) {
            get(c, path, Integer.MAX_VALUE - 8, true);
            for (int i = 0; i < opt.runs; i++) {
                long t0 = System.nanoTime();
                get(c, path, 0, false);
                r[i] = mibPerSec(System.nanoTime() - t0);
            }
        }
        return Measurement.median(r, "MiB/s");
    }

    private void get(HttpConn c, String path, int keep, boolean verify) throws IOException {
        HttpConn.Response resp = c.send("GET", path, null, null, 0, 0, keep);
        for (int hops = 0; resp.status() / 100 == 3 && hops < 3; hops++) {
            resp = c.send("GET", HttpConn.pathOf(resp.header("location")), null, null, 0, 0, keep);
        }
        expect(resp, 200, "GET blob");
        if (resp.bodyLength() != blob.length) {
            throw new IOException("GET blob returned " + resp.bodyLength() + " bytes, expected " + blob.length);
        }
        if (verify && !digest(resp.body(), 0, resp.body().length).equals(lastDigest)) {
            throw new IOException("GET blob returned content whose digest is not " + lastDigest);
        }
    }

    static String startUpload(HttpConn c, String repo) throws IOException {
        HttpConn.Response post = c.send("POST", "/v2/" + repo + "/blobs/uploads/", null, new byte[0]);
        expect(post, 202, "POST blob upload");
        return HttpConn.pathOf(post.header("location"));
    }

    static void expect(HttpConn.Response r, int status, String what) throws IOException {
        if (r.status() != status) {
            String body = r.bodyText();
            throw new IOException(what + ": expected " + status + ", got " + r.status()
                    + (body.isEmpty() ? "" : " " + body.substring(0, Math.min(300, body.length())).strip()));
        }
    }
}
