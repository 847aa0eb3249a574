package io.berth.server.cli;

import io.berth.core.model.Digest;
import io.berth.scanner.image.ImageScanner;
import io.berth.scanner.layer.WalkLimits;
import io.berth.scanner.match.VulnerabilityMatcher;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import io.berth.scanner.result.ScanOutcome;
import io.berth.scanner.sbom.CycloneDx;
import io.berth.scanner.sbom.StoredInventory;
import io.berth.scanner.vulndb.imports.Format;
import io.berth.scanner.vulndb.imports.VulnImporter;
import io.berth.server.boot.BerthApp;
import io.berth.server.boot.Stores;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.StorageConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth bench-scanning}: the scanning figures of the benchmark. Imports the real Debian DSA and DLA lists
 * ({@code --vulndata}) into a throw-away database, then times
 * <ul>
 *   <li>the scan of a typical image: a Debian 11 layer of {@code --packages} dpkg packages (real source packages
 *       of the DSA list, at versions below their fixes) among {@code --layer-mib} MiB of other files, gzipped;
 *       inventory (gunzip, tar walk, dpkg status) plus matching, as a scan job runs them (median of 5);</li>
 *   <li>rescanning {@code --inventories} stored inventories: matching each again, as a data update makes the
 *       continuous rescans do, from inventories already taken (so no layer is read);</li>
 *   <li>the same from their stored CycloneDX SBOMs, read back and matched, which is what a continuous rescan now
 *       does per image.</li>
 * </ul>
 */
@Command(name = "bench-scanning", mixinStandardHelpOptions = true,
        description = "Benchmark a typical image's scan and the rematching of stored inventories.")
public final class ScanBenchCommand implements Callable<Integer> {
    @Option(names = "--vulndata", paramLabel = "DIR", description = "Holds debian/DSA-list and debian/DLA-list "
            + "(default /work/shared/vulndata)")
    Path vulndata = Path.of("/work/shared/vulndata");

    @Option(names = "--packages", paramLabel = "N", description = "dpkg packages of the typical image (default 120)")
    int packages = 120;

    @Option(names = "--layer-mib", paramLabel = "MIB", description = "Other files in its layer (default 64)")
    int layerMiB = 64;

    @Option(names = "--inventories", paramLabel = "N", description = "Stored inventories rematched (default 10000)")
    int inventories = 10_000;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("berth-bench-scanning");
        try {
            BerthConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(StorageConfig.DATA.name(),
                    data.toString()));
            try (Stores stores = BerthApp.openStores(config)) {
                VulnImporter importer = new VulnImporter(stores.vulnerabilities(), Clock.systemUTC());
                for (String list : List.of("DSA-list", "DLA-list")) {
                    importer.importPath(vulndata.resolve("debian").resolve(list), Format.DEBIAN_LIST,
                            list.startsWith("DSA") ? "debian-dsa" : "debian-dla",
                            (records, stored) -> { });
                }
                List<String> sources = bullseyeSources(vulndata.resolve("debian/DSA-list"), packages);
                byte[] config0 = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
                byte[] layer = layer(sources, layerMiB);
                Digest c = Digest.sha256Of(config0);
                Digest l = Digest.sha256Of(layer);
                byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c
                        + "\",\"size\":" + config0.length + "},\"layers\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + l + "\",\"size\":"
                        + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
                Map<Digest, byte[]> blobs = Map.of(c, config0, l, layer);
                ImageScanner scanner = new ImageScanner(WalkLimits.DEFAULT);
                VulnerabilityMatcher matcher = new VulnerabilityMatcher(stores.vulnerabilities());
                double[] ms = new double[6];
                Inventory inventory = null;
                int findings = 0;
                for (int i = 0; i < ms.length; i++) { // the first is the warm-up
                    long t0 = System.nanoTime();
                    ScanOutcome o = scanner.scan("application/vnd.oci.image.manifest.v1+json", manifest,
                            d -> new java.io.ByteArrayInputStream(blobs.get(d)));
                    inventory = ((ScanOutcome.Scanned) o).inventory();
                    findings = matcher.match(inventory).findings().size();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                double[] timed = Arrays.copyOfRange(ms, 1, ms.length);
                Arrays.sort(timed);
                List<Inventory> stored = variants(inventory, inventories);
                matcher.match(stored.get(0)); // warm
                long t0 = System.nanoTime();
                long total = 0;
                for (Inventory inv : stored) {
                    total += matcher.match(inv).findings().size();
                }
                double rescanSeconds = (System.nanoTime() - t0) / 1e9;
                // what a continuous rescan does per image now: its stored SBOM read back, then matched
                List<byte[]> sboms = new ArrayList<>(stored.size());
                io.berth.core.model.Descriptor subject = new io.berth.core.model.Descriptor(
                        "application/vnd.oci.image.manifest.v1+json", Digest.sha256Of(manifest), manifest.length,
                        null, Map.of());
                for (Inventory inv : stored) {
                    sboms.add(CycloneDx.write(inv, subject, java.time.Instant.EPOCH));
                }
                long t1 = System.nanoTime();
                long sbomTotal = 0;
                for (byte[] sbom : sboms) {
                    sbomTotal += matcher.match(StoredInventory.read(sbom).orElseThrow()).findings().size();
                }
                double sbomSeconds = (System.nanoTime() - t1) / 1e9;
                System.out.printf(Locale.ROOT, "bench-scanning: typical image (%d dpkg packages, %.1f MiB gzipped "
                                + "layer): scan median %.0f ms (min %.0f, max %.0f, 5 runs; first %.0f ms), "
                                + "%d findings; rematching %d stored inventories: %.1f s (%.2f ms each), "
                                + "%d findings; rematching them from their stored SBOMs (a continuous rescan): %.1f s "
                                + "(%.2f ms each), %d findings, against %.0f s to re-read every layer at the scan "
                                + "median; data: %s%n",
                        inventory.packages().size(), layer.length / 1048576.0, timed[2], timed[0], timed[4], ms[0],
                        findings, stored.size(), rescanSeconds, rescanSeconds * 1000 / stored.size(), total,
                        sbomSeconds, sbomSeconds * 1000 / stored.size(), sbomTotal, timed[2] * stored.size() / 1000,
                        "the real DSA and DLA lists");
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** The first {@code n} distinct source packages the DSA list fixes for bullseye. */
    static List<String> bullseyeSources(Path dsaList, int n) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(dsaList, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("[bullseye] - ")) {
                String[] parts = t.split("\\s+");
                if (parts.length >= 4 && !parts[3].startsWith("<")) {
                    out.add(parts[2]);
                }
            }
            if (out.size() == n) {
                break;
            }
        }
        return new ArrayList<>(out);
    }

    /** A gzipped tar: os-release of Debian 11, a dpkg status of the packages, and filler files. */
    static byte[] layer(List<String> sources, int fillerMiB) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            entry(gz, "etc/os-release", ("PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nID=debian\n"
                    + "VERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n").getBytes(StandardCharsets.UTF_8));
            StringBuilder status = new StringBuilder();
            for (String s : sources) {
                status.append("Package: ").append(s).append("\nStatus: install ok installed\nArchitecture: amd64\n")
                        .append("Version: 0.1-1\nDescription: ").append(s).append("\n\n");
            }
            entry(gz, "var/lib/dpkg/status", status.toString().getBytes(StandardCharsets.UTF_8));
            Random random = new Random(42);
            byte[] file = new byte[32 * 1024];
            for (int i = 0; i < fillerMiB * 32; i++) {
                // half random, half text: a layer compresses about as real binaries and text do
                random.nextBytes(file);
                Arrays.fill(file, file.length / 2, file.length, (byte) ('a' + i % 26));
                entry(gz, "usr/lib/bench/file-" + i, file);
            }
            gz.write(new byte[1024]); // the tar's end
        }
        return out.toByteArray();
    }

    private static void entry(java.io.OutputStream out, String name, byte[] content) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format(Locale.ROOT, "%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format(Locale.ROOT, "%06o", sum));
        header[154] = 0;
        out.write(header);
        out.write(content);
        out.write(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int at, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    /** {@code n} inventories like {@code base}, each with its own versions (some fixed, some not). */
    static List<Inventory> variants(Inventory base, int n) {
        List<Inventory> out = new ArrayList<>(n);
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            List<InstalledPackage> pkgs = new ArrayList<>(base.packages().size());
            for (InstalledPackage p : base.packages()) {
                String v = random.nextInt(3) == 0 ? "99:1.0-1" : p.version(); // a third beyond every fix
                pkgs.add(new InstalledPackage(p.ecosystem(), p.name(), v, p.sourceName(), p.path(), v));
            }
            out.add(new Inventory(base.distribution(), pkgs));
        }
        return out;
    }
}
