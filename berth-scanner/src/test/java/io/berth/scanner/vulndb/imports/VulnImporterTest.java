package io.berth.scanner.vulndb.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.scanner.vulndb.Advisory;
import io.berth.scanner.vulndb.AffectedRange;
import io.berth.scanner.vulndb.Severity;
import io.berth.scanner.vulndb.SourceStatus;
import io.berth.scanner.vulndb.TestDatabase;
import io.berth.scanner.vulndb.VulnerabilityStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports of the real data files (src/test/resources/vulndata, see PROVENANCE.md) into a real SQLite metadata
 * database. The expected counts were established independently of this code, with a short Python reading of the
 * same files (records, release lines, (package, ID) pairs, withdrawn records, ecosystems).
 */
class VulnImporterTest {
    @TempDir
    Path dir;
    private TestDatabase db;
    private VulnerabilityStore store;
    private VulnImporter importer;

    @BeforeEach
    void setUp() throws IOException {
        db = TestDatabase.sqlite(Files.createDirectories(dir.resolve("db")));
        store = db.vulnerabilities();
        importer = new VulnImporter(store, Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private VulnImporter.Result run(Path path) throws IOException {
        Format format = VulnImporter.detect(path);
        return importer.importPath(path, format, VulnImporter.defaultSource(path, format), (r, s) -> { });
    }

    @Test
    void debianDsaList_everyReleaseLine_notAffectedAndAnnouncementsSkipped() throws IOException {
        Path list = TestData.copy("debian/DSA-list", dir);
        assertThat(VulnImporter.detect(list)).isEqualTo(Format.DEBIAN_LIST);
        VulnImporter.Result result = run(list);
        ImportSummary s = result.summary();
        assertThat(s.source()).isEqualTo("debian-dsa");
        assertThat(s.records()).isEqualTo(5406);
        assertThat(s.storedTotal()).isEqualTo(6932);
        assertThat(s.stored()).containsEntry("Debian:bullseye", 410L);
        assertThat(s.skipped()).isEqualTo(Map.of("not affected", 55L, "no release line (announcement)", 23L));
        // DSA-423's woody line gives a package name where the version belongs: that advisory is refused
        assertThat(s.rejected()).isEqualTo(Map.of("invalid dpkg version", 1L));
        SourceStatus status = result.status().orElseThrow();
        assertThat(status.newest()).isEqualTo(Instant.parse("2023-03-29T00:00:00Z"));
        assertThat(store.sources()).singleElement().extracting(SourceStatus::advisories).isEqualTo(6932L);

        List<Advisory> xorg = store.find("Debian", "bullseye", List.of("xorg-server"));
        assertThat(xorg).filteredOn(a -> a.id().equals("DSA-5380-1")).singleElement().satisfies(a -> {
            assertThat(a.aliases()).containsExactly("CVE-2023-1393");
            assertThat(a.ranges()).containsExactly(AffectedRange.fixedIn("2:1.20.11-1+deb11u6"));
            assertThat(a.severity()).isEqualTo(Severity.UNDEFINED); // the lists carry none
            assertThat(a.references()).containsExactly("https://security-tracker.debian.org/tracker/DSA-5380-1");
        });
    }

    @Test
    void debianDlaList() throws IOException {
        ImportSummary s = run(TestData.copy("debian/DLA-list", dir)).summary();
        assertThat(s.source()).isEqualTo("debian-dla");
        assertThat(s.records()).isEqualTo(3534);
        assertThat(s.storedTotal()).isEqualTo(3535);
        assertThat(s.skipped()).isEqualTo(Map.of("no release line (announcement)", 4L));
        assertThat(s.rejected()).isEmpty();
    }

    @Test
    void alpineSecdb_yamlAndTheSameAsJson() throws IOException {
        Path yaml = TestData.copy("alpine/v3.11-main.yaml", dir);
        assertThat(VulnImporter.detect(yaml)).isEqualTo(Format.ALPINE_SECDB);
        ImportSummary s = run(yaml).summary();
        assertThat(s.source()).isEqualTo("alpine-secdb:v3.11/main");
        assertThat(s.records()).isEqualTo(175);
        assertThat(s.stored()).isEqualTo(Map.of("Alpine:3.11", 1269L));
        // xen's "CVE-????-?????"; python2's 2.7.16-33 and xen's 4.10-1-r1 are no apk versions
        assertThat(s.rejected()).isEqualTo(Map.of("malformed vulnerability id", 1L, "invalid apk version", 2L));

        // secdb.alpinelinux.org serves the same tree as JSON; this one is the YAML file converted, not a download
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(TestData.copy("alpine/v3.11-community.yaml",
                dir).toFile());
        Path json = dir.resolve("community.json");
        new ObjectMapper().writeValue(json.toFile(), tree);
        assertThat(VulnImporter.detect(json)).isEqualTo(Format.ALPINE_SECDB);
        ImportSummary c = run(json).summary();
        assertThat(c.source()).isEqualTo("alpine-secdb:v3.11/community");
        assertThat(c.records()).isEqualTo(85);
        assertThat(c.stored()).isEqualTo(Map.of("Alpine:3.11", 883L));
        assertThat(c.rejected()).isEqualTo(Map.of("malformed vulnerability id", 2L, "invalid apk version", 1L));
        assertThat(store.sources()).hasSize(2);

        assertThat(store.find("Alpine", "3.11", List.of("tcpdump")))
                .filteredOn(a -> a.id().equals("CVE-2018-14468")).singleElement()
                .extracting(a -> a.ranges().get(0)).isEqualTo(AffectedRange.fixedIn("4.9.3-r0"));
    }

    @Test
    void osvJsonLines_everyFile_withdrawnHonoured() throws IOException {
        record Expect(String file, long records, long withdrawn, Map<String, Long> stored, Map<String, Long> unsupported) {}
        for (Expect e : List.of(
                new Expect("go.jsonl", 435, 1, Map.of("Go", 529L), Map.of()),
                new Expect("pypi.jsonl", 336, 3, Map.of("PyPI", 333L), Map.of()),
                new Expect("maven.jsonl", 96, 0, Map.of("Maven", 299L, "NuGet", 2L),
                        Map.of("unsupported ecosystem RubyGems", 3L)),
                new Expect("npm.jsonl", 64, 3, Map.of("npm", 126L, "NuGet", 2L),
                        Map.of("unsupported ecosystem RubyGems", 7L)))) {
            Path f = TestData.copy("osv/" + e.file, dir);
            assertThat(VulnImporter.detect(f)).isEqualTo(Format.OSV);
            ImportSummary s = run(f).summary();
            assertThat(s.source()).isEqualTo("osv:" + e.file.replace(".jsonl", ""));
            assertThat(s.records()).as(e.file).isEqualTo(e.records);
            assertThat(s.rejected()).as(e.file).isEmpty();
            assertThat(s.stored()).as(e.file).isEqualTo(e.stored);
            java.util.Map<String, Long> skipped = new java.util.HashMap<>(e.unsupported);
            if (e.withdrawn > 0) {
                skipped.put("withdrawn", e.withdrawn);
            }
            assertThat(s.skipped()).as(e.file).isEqualTo(skipped);
        }
        assertThat(store.sources()).extracting(SourceStatus::source)
                .containsExactly("osv:go", "osv:maven", "osv:npm", "osv:pypi");
        Advisory log4shell = store.find("Maven", "", List.of("org.apache.logging.log4j:log4j-core")).stream()
                .filter(a -> a.id().equals("GHSA-jfh8-c2jp-5v3q")).findFirst().orElseThrow();
        assertThat(log4shell.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(log4shell.cvssScore()).isEqualTo(10.0);
        assertThat(log4shell.aliases()).containsExactly("CVE-2021-44228");
    }

    @Test
    void osv_directoryZipAndSingleRecord_readTheSameRecords() throws IOException {
        List<String> lines = Files.readAllLines(TestData.copy("osv/pypi.jsonl", dir), StandardCharsets.UTF_8);
        Path tree = Files.createDirectories(dir.resolve("pypi-tree/vulns"));
        Path zip = dir.resolve("pypi-all.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < lines.size(); i++) {
                String id = new ObjectMapper().readTree(lines.get(i)).get("id").asText();
                Files.writeString(tree.resolve(id + ".json"), lines.get(i));
                z.putNextEntry(new ZipEntry(id + ".json"));
                z.write(lines.get(i).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        ImportSummary fromDir = run(dir.resolve("pypi-tree")).summary();
        assertThat(fromDir.source()).isEqualTo("osv:pypi-tree");
        ImportSummary fromZip = run(zip).summary();
        assertThat(fromZip.source()).isEqualTo("osv:pypi-all");
        for (ImportSummary s : List.of(fromDir, fromZip)) {
            assertThat(s.records()).isEqualTo(336);
            assertThat(s.stored()).isEqualTo(Map.of("PyPI", 333L));
            assertThat(s.skipped()).isEqualTo(Map.of("withdrawn", 3L));
        }
        Path one = tree.resolve("PYSEC-2008-8.json");
        ImportSummary single = run(one).summary();
        assertThat(single.records()).isEqualTo(1);
        assertThat(single.stored()).isEqualTo(Map.of("PyPI", 1L));
    }

    @Test
    void osv_malformedRecords_rejectedOneByOne_withTheirReasons() throws IOException {
        // small records in OSV's format, made for this test; one good record among them
        String good = "{\"id\":\"GOOD-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
                + "{\"ecosystem\":\"PyPI\",\"name\":\"Django\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
                + "[{\"introduced\":\"0\"},{\"fixed\":\"3.2.19\"}]}]}]}";
        Path f = dir.resolve("bad.jsonl");
        Files.write(f, List.of(good,
                "{\"id\":\"TRUNC-1\",\"affected\":[{\"package\"",
                "{\"affected\":[]}",
                range("OPEN-1", "[{\"fixed\":\"1.0\"}]"),
                range("INVERTED-1", "[{\"introduced\":\"2.0\"},{\"fixed\":\"1.0\"}]"),
                range("EMPTY-1", "[{\"introduced\":\"2.0\"},{\"fixed\":\"2.0\"}]"),
                range("BADVER-1", "[{\"introduced\":\"0\"},{\"fixed\":\"not a version\"}]"),
                range("TWOKEYS-1", "[{\"introduced\":\"0\",\"fixed\":\"1.0\"}]"),
                "{\"id\":\"NOPKG-1\",\"affected\":[{\"ranges\":[]}]}",
                "[1,2,3]"));
        ImportSummary s = run(f).summary();
        assertThat(s.records()).isEqualTo(10);
        assertThat(s.storedTotal()).isEqualTo(1);
        assertThat(s.rejected()).isEqualTo(Map.of(
                "malformed JSON", 1L,
                "missing id", 1L,
                "open range (no introduced)", 1L,
                "inverted range", 2L,
                "invalid pep440 version", 1L,
                "malformed range event", 1L,
                "affected package without ecosystem or name", 1L,
                "not a JSON object", 1L));
        assertThat(store.find("PyPI", "", List.of("django"))).extracting(Advisory::id).containsExactly("GOOD-1");
    }

    private static String range(String id, String events) {
        return "{\"id\":\"" + id + "\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"x\"},"
                + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":" + events + "}]}]}";
    }

    @Test
    void debianTrackerJson_statusesAndUrgency() throws IOException {
        // a small export in the tracker's JSON shape, made for this test (no real export is in vulndata)
        Path f = dir.resolve("tracker.json");
        Files.writeString(f, """
                {"openssl": {
                   "CVE-2023-0286": {"description": "X.400 address type confusion", "scope": "remote",
                     "releases": {"bullseye": {"status": "resolved", "fixed_version": "1.1.1n-0+deb11u4",
                                               "urgency": "high", "repositories": {"bullseye": "1.1.1n-0+deb11u5"}},
                                  "bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}},
                   "CVE-2023-9999": {"releases": {"bullseye": {"status": "open", "urgency": "low**"},
                                                  "trixie": {"status": "undetermined", "urgency": "not yet assigned"}}}},
                 "curl": {"CVE-2023-0001": {"releases": {"bullseye": {"status": "resolved", "fixed_version": "bad version",
                                                                      "urgency": "medium"}}}}}
                """);
        assertThat(VulnImporter.detect(f)).isEqualTo(Format.DEBIAN_JSON);
        ImportSummary s = run(f).summary();
        assertThat(s.source()).isEqualTo("debian-tracker");
        assertThat(s.records()).isEqualTo(3);
        assertThat(s.stored()).isEqualTo(Map.of("Debian:bullseye", 2L));
        assertThat(s.skipped()).isEqualTo(Map.of("not affected", 1L, "undetermined", 1L));
        assertThat(s.rejected()).isEqualTo(Map.of("invalid dpkg version", 1L));
        List<Advisory> found = store.find("Debian", "bullseye", List.of("openssl"));
        assertThat(found).extracting(Advisory::id, Advisory::severity, a -> a.ranges().get(0)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CVE-2023-0286", Severity.HIGH,
                        AffectedRange.fixedIn("1.1.1n-0+deb11u4")),
                org.assertj.core.groups.Tuple.tuple("CVE-2023-9999", Severity.LOW, AffectedRange.unfixed()));
    }

    @Test
    void reimport_replacesTheSource_andAFailedOneLeavesItAlone() throws IOException {
        Path list = TestData.copy("debian/DSA-list", dir);
        run(list);
        // a truncated zip of OSV records for the same source name: the import fails, the old data stays
        Path broken = dir.resolve("broken.zip");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String line : Files.readAllLines(TestData.copy("osv/go.jsonl", dir))) {
                z.putNextEntry(new ZipEntry(new ObjectMapper().readTree(line).get("id").asText() + ".json"));
                z.write(line.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        try (OutputStream out = Files.newOutputStream(broken)) {
            out.write(bytes.toByteArray(), 0, bytes.size() / 2); // cut off in the middle of an entry
        }
        assertThatThrownBy(() -> importer.importPath(broken, Format.OSV, "debian-dsa", (r, n) -> { }))
                .isInstanceOf(IOException.class);
        assertThat(store.sources()).singleElement().extracting(SourceStatus::advisories).isEqualTo(6932L);
        // a file with nothing importable does not wipe the source either
        Path empty = dir.resolve("nothing.jsonl");
        Files.writeString(empty, "{\"id\":\"W\",\"withdrawn\":\"2024-01-01T00:00:00Z\",\"affected\":[]}\n");
        VulnImporter.Result none = importer.importPath(empty, Format.OSV, "debian-dsa", (r, n) -> { });
        assertThat(none.status()).isEmpty();
        assertThat(store.sources()).singleElement().extracting(SourceStatus::advisories).isEqualTo(6932L);
        // importing again replaces, not adds
        run(list);
        assertThat(store.sources()).singleElement().extracting(SourceStatus::advisories).isEqualTo(6932L);
    }
}
