package io.berth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v2/_catalog?n=1000} once the registry holds the configured number of repositories, each created by
 * pushing a tiny image (config + one 32-byte layer) over 8 concurrent connections. One untimed warm-up GET, then
 * the median of the timed GETs.
 */
final class CatalogBench {

    private final RegistryServer server;
    private final Options opt;

    CatalogBench(RegistryServer server, Options opt) {
        this.server = server;
        this.opt = opt;
    }

    Measurement run() throws Exception {
        List<PushBench.Image> imgs = new ArrayList<>(opt.catalogRepos);
        for (int i = 0; i < opt.catalogRepos; i++) {
            imgs.add(PushBench.image(String.format(Locale.ROOT, "catalog/r%06d", i), "latest", 1, 32));
        }
        long tc = System.nanoTime();
        new PushBench(server).pushAll(imgs, opt.pushConnections);
        double createSeconds = (System.nanoTime() - tc) / 1e9;
        double[] ms = new double[opt.catalogRuns];
        int returned;
        try (HttpConn c = server.connect()) {
            HttpConn.Response first = c.send("GET", "/v2/_catalog?n=1000", null, null, 0, 0, 16 << 20);
            BlobBench.expect(first, 200, "GET _catalog");
            returned = count(first.bodyText());
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                HttpConn.Response r = c.send("GET", "/v2/_catalog?n=1000", null, null, 0, 0, 0);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                BlobBench.expect(r, 200, "GET _catalog");
            }
        }
        return Measurement.median(ms, "ms").withNote(String.format(Locale.ROOT,
                "returned %d names; creating %d repos took %.1f s", returned, opt.catalogRepos, createSeconds));
    }

    /** Counts the names in {"repositories":["a","b",...]} without a JSON library. */
    static int count(String json) {
        int open = json.indexOf('[');
        int close = json.lastIndexOf(']');
        if (open < 0 || close <= open) {
            return 0;
        }
        int quotes = 0;
        for (int i = open; i < close; i++) {
            if (json.charAt(i) == '"') {
                quotes++;
            }
        }
        return quotes / 2;
    }
}
