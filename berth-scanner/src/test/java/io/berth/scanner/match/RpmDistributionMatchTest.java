package io.berth.scanner.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import io.berth.scanner.vulndb.TestDatabase;
import io.berth.scanner.vulndb.imports.Format;
import io.berth.scanner.vulndb.imports.TestData;
import io.berth.scanner.vulndb.imports.VulnImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPM images of each distribution OSV publishes are matched against that distribution's records only, by rpmvercmp.
 * The records are made up (vulndata/made-up, see PROVENANCE.md: no real ones were available); the os-release
 * fields are those the distributions' images ship.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpmDistributionMatchTest {
    @TempDir
    static Path dir;
    private TestDatabase db;
    private VulnerabilityMatcher matcher;

    @BeforeAll
    void importRecords() throws Exception {
        db = TestDatabase.sqlite(Files.createDirectories(dir.resolve("db")));
        Path p = TestData.copy("made-up/rpm-distributions.jsonl", dir);
        var summary = new VulnImporter(db.vulnerabilities(), Clock.systemUTC()).importPath(p, Format.OSV,
                "osv-rpm", (r, s) -> { }).summary();
        assertThat(summary.rejectedTotal()).isZero();
        assertThat(summary.storedTotal()).isEqualTo(9);
        matcher = new VulnerabilityMatcher(db.vulnerabilities());
    }

    @AfterAll
    void close() {
        db.close();
    }

    private static InstalledPackage rpm(String name, String source, String evr) {
        return new InstalledPackage(Ecosystem.RPM, name, evr, source, "var/lib/rpm/rpmdb.sqlite");
    }

    private List<String> ids(Distribution d, InstalledPackage... packages) {
        return matcher.match(new Inventory(d, List.of(packages))).findings().stream().map(Finding::vulnerabilityId)
                .sorted().toList();
    }

    private static final Distribution ROCKY_9 = new Distribution("rocky", "9.3", null, "rhel centos fedora",
            "9.3 (Blue Onyx)", "Rocky Linux 9.3 (Blue Onyx)");
    private static final Distribution ALMA_9 = new Distribution("almalinux", "9.3", null, "rhel centos fedora",
            "9.3 (Shamrock Pampas Cat)", "AlmaLinux 9.3 (Shamrock Pampas Cat)");

    @Test
    void rocky_matchesRockyRecordsOnly_byRpmOrder() {
        // epoch 0 (none written) is below the fix's epoch 1, however high the version
        assertThat(ids(ROCKY_9, rpm("openssl-libs", "openssl", "3.0.9-30.el9"))).containsExactly("RLSA-MADE-UP-0001");
        assertThat(ids(ROCKY_9, rpm("openssl-libs", "openssl", "1:3.0.7-24.el9"))).isEmpty();
        // el9_3.10 is after el9_3.2 (numeric segments), though it sorts before as a string
        assertThat(ids(ROCKY_9, rpm("curl", "curl", "7.76.1-26.el9_3.10"))).isEmpty();
        assertThat(ids(ROCKY_9, rpm("curl", "curl", "7.76.1-26.el9_3.1"))).containsExactly("RLSA-MADE-UP-0002");
    }

    @Test
    void alma_matchesItsReleaseOnly_notRockyOrRedHat() {
        assertThat(ids(ALMA_9, rpm("curl", "curl", "7.76.1-26.el9_3.2"), rpm("openssl", "openssl", "1:3.0.7-1.el9")))
                .containsExactly("ALSA-MADE-UP-0003"); // not Rocky's curl (fixed at .2), not RHEL's or Alma 8's openssl
        Distribution alma8 = new Distribution("almalinux", "8.9", null, "rhel centos fedora", null, null);
        assertThat(ids(alma8, rpm("openssl", "openssl", "1:1.1.1k-9.el8_7"))).containsExactly("ALSA-MADE-UP-0004");
    }

    @Test
    void rhelAndItsLikes_matchRedHat() {
        Distribution rhel = new Distribution("rhel", "9.3", null, "fedora", null, null);
        assertThat(ids(rhel, rpm("openssl", "openssl", "1:3.0.7-24.el9"))).containsExactly("RHSA-MADE-UP-0005");
        Distribution oracle = new Distribution("ol", "9.3", null, "fedora", null, null);
        assertThat(ids(oracle, rpm("openssl", "openssl", "1:3.0.7-24.el9"))).containsExactly("RHSA-MADE-UP-0005");
    }

    @Test
    void suseFamily_mageia_openEuler_matchTheirOwnNames() {
        Distribution leap = new Distribution("opensuse-leap", "15.5", null, "suse opensuse", "15.5",
                "openSUSE Leap 15.5");
        assertThat(ids(leap, rpm("libxml2-2", "libxml2", "2.10.3-150500.5.5.1")))
                .containsExactly("openSUSE-SU-MADE-UP-0006");
        assertThat(ids(leap, rpm("libxml2-2", "libxml2", "2.10.3-150500.5.17.1"))).isEmpty();
        Distribution sles = new Distribution("sles", "15.5", null, "suse", "15-SP5",
                "SUSE Linux Enterprise Server 15 SP5");
        assertThat(ids(sles, rpm("libopenssl3", "openssl-3", "3.0.8-150500.5.8.2")))
                .containsExactly("SUSE-SU-MADE-UP-0007");
        assertThat(ids(leap, rpm("libopenssl3", "openssl-3", "3.0.8-150500.5.8.2"))).isEmpty();
        Distribution mageia = new Distribution("mageia", "9", null, "mandriva fedora", "9", "Mageia 9");
        assertThat(ids(mageia, rpm("curl", "curl", "8.3.0-1.mga9"))).containsExactly("MGASA-MADE-UP-0008");
        Distribution euler = new Distribution("openeuler", "22.03", null, null, "22.03 (LTS-SP3)",
                "openEuler 22.03 (LTS-SP3)");
        assertThat(ids(euler, rpm("openssl-libs", "openssl", "1:3.0.12-3.oe2203sp3")))
                .containsExactly("OESA-MADE-UP-0009");
    }

    @Test
    void unknownRpmDistribution_isNotMatched_andSaysWhy() {
        Distribution other = new Distribution("someos", "1", null, null, null, null);
        var result = matcher.match(new Inventory(other, List.of(rpm("openssl", "openssl", "0.1-1"))));
        assertThat(result.findings()).isEmpty();
        assertThat(result.unmatchedReason()).containsEntry("OS release unknown for RPM packages", 1L);
    }

    @Test
    void packageKey_namesTheDistributionsEcosystem() {
        assertThat(VulnerabilityMatcher.key(rpm("curl", "curl", "1-1"), ROCKY_9).ecosystem()).isEqualTo("Rocky Linux");
        assertThat(VulnerabilityMatcher.key(rpm("curl", "curl", "1-1"), ALMA_9).ecosystem()).isEqualTo("AlmaLinux");
    }
}
