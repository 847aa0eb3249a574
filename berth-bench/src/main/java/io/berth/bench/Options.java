package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Command-line options, parsed by hand. */
final class Options {

    static final String DEFAULT_BERTH_CMD = "./berth serve --listen 127.0.0.1:{port} --data {data}";
    static final String DISTRIBUTION_BIN = "/usr/bin/docker-registry";
    static final List<String> SCENARIOS =
            List.of("upload", "chunked", "download", "push1", "push8", "manifest", "v2", "catalog", "sha",
                    "lifecycle", "scanning", "encrypted", "catalog-scale", "replication");

    boolean quick;
    Path root = Path.of(System.getProperty("berth.root", ".")).toAbsolutePath().normalize();
    Path outDir;
    final Set<String> skip = new LinkedHashSet<>();
    String only;
    String berthCmd = DEFAULT_BERTH_CMD;
    String berthUrl;
    String distributionCmd = DISTRIBUTION_BIN + " serve {config}";
    String distributionUrl;
    String load = Files.isExecutable(Path.of("/usr/bin/wrk")) ? "wrk" : "java";

    int runs = 3;
    int rounds = 1;
    int blobMiB = 256;
    int chunkMiB = 8;
    int images = 200;
    int pushConnections = 8;
    int getConnections = 16;
    int getSeconds = 10;
    int v2Seconds = 5;
    int warmupSeconds = 2;
    int catalogRepos = 1000;
    int catalogRuns = 5;
    /** Repositories of the larger catalog in the catalog-scale scenario (the smaller has 1,000). */
    int catalogScaleRepos = 100_000;
    /** A JDBC URL: Berth is benchmarked a second time with its metadata there (an empty schema), or null. */
    String postgres;
    String postgresUser = "postgres";
    /** Images in the repository the lifecycle evaluation figure evaluates (Berth only; {@code berth bench-lifecycle}). */
    int lifecycleImages = 100_000;
    int shaMiB = 512;
    /** Start Berth with {@code --insecure-no-auth} and send no credentials (the pre-authentication setup). */
    boolean berthNoAuth;
    /** Also measure what authentication and a repository policy cost on the manifest GET (see AccessBench). */
    boolean accessCost;

    static final String USAGE = String.join("\n",
            "usage: ./berth-bench.sh [options]",
            "",
            "Benchmarks Berth and CNCF distribution 2.8.2 (" + DISTRIBUTION_BIN + ") one after the other in the",
            "same run over the OCI distribution API, and writes a markdown table of both, their ratio and",
            "Berth's targets to bench-results/<timestamp>.md.",
            "",
            "  --quick                 small sizes to smoke-test the tool (32 MiB blob, 50 images, 3 s GET, ...)",
            "  --out DIR               where to write the report (default: bench-results under the repository root)",
            "  --skip a,b,...          skip scenarios: " + String.join(",", SCENARIOS),
            "  --scenarios a,b,...     run only these scenarios (the complement of --skip)",
            "  --only berth|distribution   benchmark one registry only (ratios and relative targets are then blank)",
            "  --berth-cmd CMD         how to start Berth; placeholders {port} {data} {config} (a distribution-style",
            "                          config.yml for that port and data dir). Default: " + DEFAULT_BERTH_CMD,
            "  --berth-url URL         benchmark an already running Berth instead (no startup time or RSS)",
            "  --distribution-cmd CMD  how to start distribution (default: " + DISTRIBUTION_BIN + " serve {config})",
            "  --distribution-url URL  benchmark an already running distribution instead",
            "  --load wrk|java         load generator for the manifest GET and GET /v2/ figures (default: wrk if",
            "                          /usr/bin/wrk exists, else a raw-socket Java client)",
            "  --rounds N              repeat the whole comparison N times, alternating which registry goes",
            "                          first, and report medians across rounds (evens out drift on a busy machine)",
            "  --insecure-no-auth      start Berth with authentication off (no credentials sent); by default Berth",
            "                          runs with a root key passed as BERTH_ROOT_ACCESS_KEY_ID/SECRET and every",
            "                          request sends it as Basic key:secret",
            "  --access-cost           also measure the manifest GET on Berth with authentication off, on, and on",
            "                          with a ten-statement repository policy, and report the ratios",
            "  --postgres JDBC_URL     also benchmark Berth with its metadata in PostgreSQL (an empty schema, e.g.",
            "                          jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bench); the table then",
            "                          shows both columns. --postgres-user USER (default postgres); the password,",
            "                          if any, from BERTH_METADATA_PASSWORD in the environment",
            "  --blob-mib N  --images N  --get-seconds N  --repos N  --runs N  --lifecycle-images N",
            "  --catalog-scale-repos N (default 100000)   override sizes",
            "  -h, --help              this text");

    static Options parse(String[] args) {
        Options o = new Options();
        boolean quickSeen = Arrays.asList(args).contains("--quick");
        if (quickSeen) {
            o.quick = true;
            o.blobMiB = 32;
            o.images = 50;
            o.getSeconds = 3;
            o.v2Seconds = 2;
            o.warmupSeconds = 1;
            o.catalogRepos = 200;
            o.shaMiB = 128;
            o.lifecycleImages = 10_000;
            o.catalogScaleRepos = 10_000;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "-h", "--help" -> throw new UsageException(null);
                case "--out" -> o.outDir = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--skip" -> {
                    for (String s : value(args, ++i, a).split(",")) {
                        String name = s.trim();
                        if (!SCENARIOS.contains(name)) {
                            throw new UsageException("unknown scenario '" + name + "' for --skip");
                        }
                        o.skip.add(name);
                    }
                }
                case "--scenarios" -> {
                    // The complement of --skip: run only these, so a one-scenario command stays short as scenarios
                    // are added.
                    List<String> wanted = List.of(value(args, ++i, a).split(","));
                    for (String name : wanted) {
                        if (!SCENARIOS.contains(name.trim())) {
                            throw new UsageException("unknown scenario '" + name.trim() + "' for --scenarios");
                        }
                    }
                    for (String name : SCENARIOS) {
                        if (wanted.stream().noneMatch(w -> w.trim().equals(name))) {
                            o.skip.add(name);
                        }
                    }
                }
                case "--only" -> {
                    o.only = value(args, ++i, a);
                    if (!o.only.equals("berth") && !o.only.equals("distribution")) {
                        throw new UsageException("--only takes berth or distribution");
                    }
                }
                case "--berth-cmd" -> o.berthCmd = value(args, ++i, a);
                case "--berth-url" -> o.berthUrl = value(args, ++i, a);
                case "--distribution-cmd" -> o.distributionCmd = value(args, ++i, a);
                case "--distribution-url" -> o.distributionUrl = value(args, ++i, a);
                case "--load" -> {
                    o.load = value(args, ++i, a);
                    if (!o.load.equals("wrk") && !o.load.equals("java")) {
                        throw new UsageException("--load takes wrk or java");
                    }
                }
                case "--insecure-no-auth", "--no-auth" -> o.berthNoAuth = true;
                case "--access-cost" -> o.accessCost = true;
                case "--blob-mib" -> o.blobMiB = intValue(args, ++i, a);
                case "--images" -> o.images = intValue(args, ++i, a);
                case "--get-seconds" -> o.getSeconds = intValue(args, ++i, a);
                case "--repos" -> o.catalogRepos = intValue(args, ++i, a);
                case "--lifecycle-images" -> o.lifecycleImages = intValue(args, ++i, a);
                case "--catalog-scale-repos" -> o.catalogScaleRepos = intValue(args, ++i, a);
                case "--postgres" -> {
                    o.postgres = value(args, ++i, a);
                    if (!o.postgres.startsWith("jdbc:postgresql:")) {
                        throw new UsageException("--postgres takes a jdbc:postgresql: URL");
                    }
                }
                case "--postgres-user" -> o.postgresUser = value(args, ++i, a);
                case "--runs" -> o.runs = intValue(args, ++i, a);
                case "--rounds" -> o.rounds = intValue(args, ++i, a);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (o.berthNoAuth && o.berthCmd.equals(DEFAULT_BERTH_CMD)) {
            o.berthCmd = DEFAULT_BERTH_CMD + " --insecure-no-auth";
        }
        if (o.outDir == null) {
            o.outDir = o.root.resolve("bench-results");
        }
        return o;
    }

    boolean runs(String scenario) {
        return !skip.contains(scenario);
    }

    boolean wants(String registry) {
        if (registry.equals(Report.BERTH_PG)) {
            return postgres != null && (only == null || only.equals(Report.BERTH));
        }
        return only == null || only.equals(registry);
    }

    /** The environment of the Berth server over PostgreSQL: {@code base} plus the metadata settings. */
    java.util.Map<String, String> postgresEnv(java.util.Map<String, String> base) {
        java.util.Map<String, String> env = new java.util.HashMap<>(base);
        env.put("BERTH_METADATA_TYPE", "postgres");
        env.put("BERTH_METADATA_URL", postgres);
        env.put("BERTH_METADATA_USER", postgresUser);
        return env;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String opt) {
        try {
            int v = Integer.parseInt(value(args, i, opt));
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(opt + " needs a positive integer");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String msg) {
            super(msg);
        }
    }
}
