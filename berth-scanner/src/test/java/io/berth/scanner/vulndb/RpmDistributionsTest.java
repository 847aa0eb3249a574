package io.berth.scanner.vulndb;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scanner.model.Distribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** os-release fields as the distributions' container images ship them, to OSV's ecosystem and stored release. */
class RpmDistributionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "rocky|9.3|rhel centos fedora|9.3 (Blue Onyx)|Rocky Linux 9.3 (Blue Onyx)|Rocky Linux|9",
            "almalinux|8.9|rhel centos fedora|8.9 (Midnight Oncilla)|AlmaLinux 8.9 (Midnight Oncilla)|AlmaLinux|8",
            "rhel|9.4|fedora|9.4 (Plow)|Red Hat Enterprise Linux 9.4 (Plow)|Red Hat|9",
            "centos|7|rhel fedora|7 (Core)|CentOS Linux 7 (Core)|Red Hat|7",
            "ol|8.9|fedora|8.9|Oracle Linux Server 8.9|Red Hat|8",
            "opensuse-leap|15.5|suse opensuse|15.5|openSUSE Leap 15.5|openSUSE|Leap 15.5",
            "opensuse-tumbleweed|20240101|opensuse suse|-|openSUSE Tumbleweed|openSUSE|Tumbleweed",
            "sles|15.5|suse|15-SP5|SUSE Linux Enterprise Server 15 SP5|SUSE|Linux Enterprise Server 15 SP5",
            "mageia|9|mandriva fedora|9|Mageia 9|Mageia|9",
            "openeuler|22.03|-|22.03 (LTS-SP3)|openEuler 22.03 (LTS-SP3)|openEuler|22.03-LTS-SP3",
            "openeuler|24.03|-|24.03 (LTS)|openEuler 24.03 (LTS)|openEuler|24.03-LTS",
            "photon|5.0|-|5.0|VMware Photon OS/Linux|Photon OS|5.0"})
    void osRelease_toOsvEcosystemAndRelease(String id, String versionId, String idLike, String version,
                                            String pretty, String ecosystem, String release) {
        assertThat(RpmDistributions.of(new Distribution(id, versionId, null, idLike, version, pretty)))
                .isEqualTo(new RpmDistributions.OsvRelease(ecosystem, release));
    }

    @Test
    void storedReleaseOfTheRecords_isWhatTheImageGives() {
        assertThat(Releases.ofOsv("Rocky Linux", "9")).isEqualTo("9");
        assertThat(Releases.ofOsv("AlmaLinux", "8")).isEqualTo("8");
        assertThat(Releases.ofOsv("openSUSE", "Leap 15.5")).isEqualTo("Leap 15.5");
        assertThat(Releases.ofOsv("openEuler", "22.03-LTS-SP3")).isEqualTo("22.03-LTS-SP3");
    }

    @Test
    void unknownOrReleaseless_isNull() {
        assertThat(RpmDistributions.of(new Distribution("someos", "1", null, "debian", null, null))).isNull();
        assertThat(RpmDistributions.of(new Distribution("rocky", null, null, null, null, null))).isNull();
        assertThat(RpmDistributions.of(null)).isNull();
    }
}
