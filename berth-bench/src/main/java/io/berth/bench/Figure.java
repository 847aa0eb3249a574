package io.berth.bench;

/**
 * The figures in the report. {@code higherIsBetter} decides the ratio's direction: berth/distribution for
 * throughput, distribution/berth for times, latencies and memory, so a ratio above 1 always means Berth is better.
 */
enum Figure {
    STARTUP("process start to first `GET /v2/` answered", "ms", false),
    UPLOAD_MONO("upload %BLOB% MiB blob, monolithic POST+PUT", "MiB/s", true),
    UPLOAD_CHUNKED("upload %BLOB% MiB blob, chunked in %CHUNK% MiB PATCHes", "MiB/s", true),
    DOWNLOAD("download that blob (GET)", "MiB/s", true),
    PUSH_1("push %IMAGES% small images, 1 connection", "images/s", true),
    PUSH_N("push %IMAGES% small images, %PUSHCONN% connections", "images/s", true),
    MANIFEST_RPS("manifest GET by tag, %GETCONN% connections, %GETSEC% s", "req/s", true),
    MANIFEST_P50("manifest GET p50 latency", "ms", false),
    MANIFEST_P99("manifest GET p99 latency", "ms", false),
    V2_RPS("`GET /v2/`, %GETCONN% connections, %V2SEC% s (HTTP stack ceiling)", "req/s", true),
    CATALOG("`_catalog?n=1000` with %REPOS% repositories", "ms", false),
    PEAK_RSS("peak RSS of the server process tree over the run", "MiB", false);

    final String template;
    final String unit;
    final boolean higherIsBetter;

    Figure(String template, String unit, boolean higherIsBetter) {
        this.template = template;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    String label(Options o) {
        return template.replace("%BLOB%", Integer.toString(o.blobMiB))
                .replace("%CHUNK%", Integer.toString(o.chunkMiB))
                .replace("%IMAGES%", Integer.toString(o.images))
                .replace("%PUSHCONN%", Integer.toString(o.pushConnections))
                .replace("%GETCONN%", Integer.toString(o.getConnections))
                .replace("%GETSEC%", Integer.toString(o.getSeconds))
                .replace("%V2SEC%", Integer.toString(o.v2Seconds))
                .replace("%REPOS%", Integer.toString(o.catalogRepos));
    }
}
