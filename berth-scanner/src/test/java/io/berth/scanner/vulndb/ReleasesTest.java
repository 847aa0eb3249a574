package io.berth.scanner.vulndb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Releases as the data and os-release spell them meet on one stored form per distribution. */
class ReleasesTest {
    @Test
    void ubuntu_osvSuffixesAndVersionId_meetOnTheNumber() {
        assertThat(Releases.ofOsv("Ubuntu", "22.04:LTS")).isEqualTo("22.04");
        assertThat(Releases.ofOsv("Ubuntu", "Pro:18.04:LTS")).isEqualTo("18.04");
        assertThat(Releases.ofOsv("Ubuntu", "24.10")).isEqualTo("24.10");
        assertThat(Releases.ubuntuRelease("22.04")).as("os-release VERSION_ID").isEqualTo("22.04");
        assertThat(Releases.ubuntuRelease(null)).isNull();
    }

    @Test
    void rpmDistributions_matchOnTheMajorRelease() {
        assertThat(Releases.ofOsv("Rocky Linux", "9")).isEqualTo("9");
        assertThat(Releases.ofOsv("AlmaLinux", "8")).isEqualTo("8");
        assertThat(Releases.ofOsv("Red Hat", "enterprise_linux:9::appstream")).isEqualTo("9");
        assertThat(Releases.rpmMajor("9.3")).as("os-release VERSION_ID of Rocky 9.3").isEqualTo("9");
        assertThat(Releases.rpmMajor("2023")).as("Amazon Linux 2023").isEqualTo("2023");
        assertThat(Releases.rpmMajor("rolling")).isNull();
    }

    @Test
    void debianAndAlpine_asBefore() {
        assertThat(Releases.ofOsv("Debian", "12")).isEqualTo("bookworm");
        assertThat(Releases.debianCodename("12.8")).isEqualTo("bookworm");
        assertThat(Releases.ofOsv("Alpine", "v3.19")).isEqualTo("3.19");
    }
}
