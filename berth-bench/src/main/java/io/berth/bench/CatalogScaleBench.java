package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog at scale (Berth only): a page of {@code _catalog?n=1000} and of DescribeRepositories (maxResults 1000),
 * the first page and a deep one, with 1,000 and with {@code --catalog-scale-repos} (100,000) repositories. The
 * repositories are not pushed: {@code ./berth bench-catalog} writes them straight through the metadata store into
 * the data directory before the server starts (untimed), which takes seconds where 100,000 pushes would take
 * minutes. The target is a flat cost: the larger catalog's page within 1.5× of the smaller's.
 */
final class CatalogScaleBench {
    private static final String DESCRIBE = "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories";
    private static final Pattern NEXT_TOKEN = Pattern.compile("\"nextToken\"\\s*:\\s*\"([^\"]+)\"");
    static final int PAGE = 1000;
    static final double FLAT = 1.5;

    /** The four timings at one size. */
    record Row(int repos, Measurement catalogFirst, Measurement catalogDeep, Measurement describeFirst,
               Measurement describeDeep, String fill) {
        List<Measurement> all() {
            return List.of(catalogFirst, catalogDeep, describeFirst, describeDeep);
        }
    }

    private final Options opt;

    CatalogScaleBench(Options opt) {
        this.opt = opt;
    }

    /** Both sizes, each on a server of its own over a data directory filled for it. */
    List<Row> run() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int repos : new int[] {PAGE, opt.catalogScaleRepos}) {
            String[] fill = new String[1];
            try (RegistryServer s = RegistryServer.launch("berth-catalog", opt.berthCmd, opt.root, AccessBench.ENV,
                    data -> fill[0] = fill(data, repos))) {
                s.authorization = AccessBench.BASIC;
                rows.add(measure(s, repos, fill[0]));
            }
        }
        return rows;
    }

    private String fill(Path data, int repos) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("./berth", "bench-catalog", "--data", data.toString(), "--repos",
                String.valueOf(repos)).directory(opt.root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        return out.lines().filter(l -> l.startsWith("bench-catalog: ")).findFirst().filter(l -> rc == 0)
                .map(l -> l.substring("bench-catalog: ".length()))
                .orElseThrow(() -> new IOException("berth bench-catalog exit " + rc + ": " + out.strip()));
    }

    private Row measure(RegistryServer s, int repos, String fill) throws IOException {
        try (HttpConn c = s.connect()) {
            Measurement first = time(() -> catalog(c, "/v2/_catalog?n=" + PAGE));
            // distribution's own continuation: the names after `last`; the deep page is the last full one
            String last = String.format(Locale.ROOT, "catalog/r%06d", repos - PAGE - 1);
            Measurement deep = repos > PAGE ? time(() -> catalog(c, "/v2/_catalog?n=" + PAGE + "&last=" + last))
                    : first;
            Measurement describeFirst = time(() -> describe(s, null));
            String token = null;
            for (int page = 1; page < repos / PAGE; page++) { // walk to the last page, untimed
                token = describe(s, token);
            }
            String deepToken = token;
            Measurement describeDeep = deepToken == null ? describeFirst : time(() -> describe(s, deepToken));
            return new Row(repos, first, deep, describeFirst, describeDeep, fill);
        }
    }

    private interface Call {
        void run() throws IOException;
    }

    /** One untimed warm-up call, then the median of {@code catalogRuns} timed ones. */
    private Measurement time(Call call) throws IOException {
        call.run();
        double[] ms = new double[opt.catalogRuns];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Measurement.median(ms, "ms");
    }

    private static void catalog(HttpConn c, String path) throws IOException {
        HttpConn.Response r = c.send("GET", path, null, null, 0, 0, 16 << 20);
        BlobBench.expect(r, 200, "GET " + path);
        int names = CatalogBench.count(r.bodyText());
        if (names != PAGE) {
            throw new IOException("GET " + path + " returned " + names + " names, expected " + PAGE);
        }
    }

    /** One DescribeRepositories page after {@code token} (null: the first); the next page's token. */
    private static String describe(RegistryServer s, String token) throws IOException {
        byte[] body = ("{\"maxResults\":" + PAGE + (token == null ? "" : ",\"nextToken\":\"" + token + "\"") + "}")
                .getBytes(StandardCharsets.UTF_8);
        try (HttpConn c = new HttpConn(s.host, s.port)) {
            HttpConn.Response r = c.send("POST", "/", EncryptedBench.signed(c.hostHeader(), DESCRIBE, body), body, 0,
                    body.length, 64 << 20);
            BlobBench.expect(r, 200, "DescribeRepositories");
            String json = r.bodyText();
            int repositories = json.split("\"repositoryName\"", -1).length - 1;
            if (repositories != PAGE) {
                throw new IOException("DescribeRepositories returned " + repositories + " repositories, expected "
                        + PAGE);
            }
            Matcher m = NEXT_TOKEN.matcher(json);
            return m.find() ? m.group(1) : null;
        }
    }

    /** The report's section: a row per size, the ratio of the two, the target and the verdict. */
    static List<String> render(List<Row> rows) {
        List<String> md = new ArrayList<>();
        md.add("| repositories | `_catalog?n=1000`, first page | `_catalog`, deep page (`last=`) | "
                + "DescribeRepositories (1000), first page | DescribeRepositories, deep page (nextToken) | filled |");
        md.add("|---|---|---|---|---|---|");
        for (Row r : rows) {
            StringBuilder sb = new StringBuilder("| ").append(String.format(Locale.ROOT, "%,d", r.repos()));
            r.all().forEach(m -> sb.append(" | ").append(m.display()));
            md.add(sb.append(" | ").append(r.fill()).append(" |").toString());
        }
        if (rows.size() == 2) {
            Row small = rows.get(0);
            Row large = rows.get(1);
            StringBuilder sb = new StringBuilder("| ratio large ÷ small (target ≤ ")
                    .append(Measurement.fmt(FLAT)).append("×, flat)");
            for (int i = 0; i < 4; i++) {
                double ratio = large.all().get(i).value() / small.all().get(i).value();
                sb.append(" | ").append(Measurement.fmt(ratio)).append("× ")
                        .append(ratio <= FLAT ? "PASS" : "**SHORT**");
            }
            md.add(sb.append(" | |").toString());
        }
        return md;
    }
}
