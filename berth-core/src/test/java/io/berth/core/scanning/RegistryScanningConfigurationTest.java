package io.berth.core.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which frequency applies to a repository, per ECR's rules (ecr-semantics §2.9). */
class RegistryScanningConfigurationTest {
    private static RegistryScanningConfiguration config(ScanType type, ScanningRule... rules) {
        return new RegistryScanningConfiguration(type, List.of(rules));
    }

    @Test
    void filterWithoutWildcard_matchesNamesContainingIt_withWildcard_theWholeName() {
        ScanningRule r = new ScanningRule(ScanFrequency.SCAN_ON_PUSH, List.of("prod", "team-*/api"));
        assertThat(r.matching("apps/prod-web")).as("contains 'prod'").containsExactly("prod");
        assertThat(r.matching("team-a/api")).containsExactly("team-*/api");
        assertThat(r.matching("team-a/api-v2")).as("'*' filters match the whole name").isEmpty();
        assertThat(r.matching("staging/web")).isEmpty();
    }

    @Test
    void basic_ruleOrRepositorySetting_givesScanOnPush_elseManual() {
        RegistryScanningConfiguration c = config(ScanType.BASIC,
                new ScanningRule(ScanFrequency.SCAN_ON_PUSH, List.of("prod")));
        assertThat(c.effective("prod/web", false)).isEqualTo(new EffectiveScanning(ScanType.BASIC,
                ScanFrequency.SCAN_ON_PUSH, true, List.of("prod")));
        assertThat(c.effective("dev/web", true)).as("the deprecated repository scanOnPush counts under BASIC")
                .isEqualTo(new EffectiveScanning(ScanType.BASIC, ScanFrequency.SCAN_ON_PUSH, true, List.of()));
        assertThat(c.effective("dev/web", false)).isEqualTo(new EffectiveScanning(ScanType.BASIC,
                ScanFrequency.MANUAL, false, List.of()));
        assertThat(RegistryScanningConfiguration.DEFAULT.effective("any", false).frequency())
                .isEqualTo(ScanFrequency.MANUAL);
    }

    @Test
    void enhanced_rulesAlone_continuousWinsOverOnPush_repositorySettingIgnored() {
        RegistryScanningConfiguration c = config(ScanType.ENHANCED,
                new ScanningRule(ScanFrequency.SCAN_ON_PUSH, List.of("*")),
                new ScanningRule(ScanFrequency.CONTINUOUS_SCAN, List.of("prod")));
        assertThat(c.effective("prod/web", false)).isEqualTo(new EffectiveScanning(ScanType.ENHANCED,
                ScanFrequency.CONTINUOUS_SCAN, true, List.of("prod")));
        assertThat(c.effective("dev/web", false).frequency()).isEqualTo(ScanFrequency.SCAN_ON_PUSH);
        RegistryScanningConfiguration none = config(ScanType.ENHANCED);
        assertThat(none.effective("dev/web", true)).as("scanOnPush of the repository does not count under ENHANCED")
                .isEqualTo(new EffectiveScanning(ScanType.ENHANCED, ScanFrequency.MANUAL, false, List.of()));
    }

    @Test
    void rulesAndFindings_roundTripThroughTheStoredJson() {
        List<ScanningRule> rules = List.of(new ScanningRule(ScanFrequency.CONTINUOUS_SCAN, List.of("a*", "b")));
        assertThat(ScanningJson.rules(ScanningJson.rules(rules))).isEqualTo(rules);
        Finding f = new Finding("CVE-2023-0286", "openssl: X.400 type confusion", "desc",
                "https://security-tracker.debian.org/tracker/CVE-2023-0286", "HIGH", 7.4,
                "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H", "3.1", "openssl", "1.1.1n-0+deb11u3", "dpkg",
                "1.1.1n-0+deb11u4", "debian-dsa", null, List.of("https://www.debian.org/security/2023/dsa-5343"),
                "var/lib/dpkg/status", java.time.Instant.ofEpochMilli(1000), java.time.Instant.ofEpochMilli(2000));
        assertThat(ScanningJson.findings(ScanningJson.findings(List.of(f)))).containsExactly(f);
        assertThat(ScanningJson.counts(List.of(f, f))).containsExactly(java.util.Map.entry("HIGH", 2));
    }
}
