package io.berth.scanner.version;

import static io.berth.scanner.version.OrderAssert.cmp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** semver.org §11's precedence example, then what npm, Go, crates and NuGet add or refuse. */
class SemverVersionTest {

    @Test
    void compare_semverSpecExample() {
        for (SemverVersion v : List.of(SemverVersion.NPM, SemverVersion.CRATES, SemverVersion.GO)) {
            OrderAssert.ascending(v, List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                    "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"));
            OrderAssert.equal(v, "1.0.0", "1.0.0+build.1", "1.0.0+20130313144700");
            cmp(v, "1.0.0-alpha+001", "=", "1.0.0-alpha");
            cmp(v, "1.10.0", ">", "1.9.0");
            cmp(v, "1.0.0-2", "<", "1.0.0-10");
            cmp(v, "1.0.0-a10", "<", "1.0.0-a9"); // alphanumeric identifiers are ASCII strings
        }
    }

    @Test
    void compare_go_prefixIncompatibleAndToolchain() {
        SemverVersion go = SemverVersion.GO;
        cmp(go, "v1.2.3", "=", "1.2.3");
        cmp(go, "v2.0.0+incompatible", "=", "v2.0.0");
        cmp(go, "v2.0.0+incompatible", ">", "v1.9.9");
        cmp(go, "v0.0.0-20191109021931-daa7c04131f5", "<", "v0.1.0");
        cmp(go, "v0.0.0-20191109021931-daa7c04131f5", ">", "v0.0.0-20190101000000-aaaaaaaaaaaa");
        cmp(go, "v1.2.4-0.20191109021931-daa7c04131f5", ">", "v1.2.3");    // pseudo-version after v1.2.3
        cmp(go, "v1.2.4-0.20191109021931-daa7c04131f5", "<", "v1.2.4");
        cmp(go, "go1.21rc2", "=", "1.21.0-rc.2");
        cmp(go, "go1.21rc2", "<", "go1.21.0");
        cmp(go, "go1.20", "=", "1.20.0");
        cmp(go, "go1.20.5", "<", "1.20.6");
        cmp(go, "go1.9beta1", "<", "go1.9");
        assertThat(go.isValid("v1.2")).isFalse();
        assertThat(go.isValid("v01.2.3")).isFalse();
    }

    @Test
    void validate_strictWhereTheSpecIs() {
        assertThat(SemverVersion.CRATES.isValid("1.2")).isFalse();
        assertThat(SemverVersion.CRATES.isValid("01.2.3")).isFalse();
        assertThat(SemverVersion.CRATES.isValid("1.2.3-01")).isFalse(); // numeric identifiers have no leading 0
        assertThat(SemverVersion.CRATES.isValid("1.2.3-")).isFalse();
        assertThat(SemverVersion.NPM.isValid("=1.2.3")).isTrue();
        assertThat(SemverVersion.NPM.isValid("v1.2.3")).isTrue();
    }

    @Test
    void compare_nuget_fourPartsAndCase() {
        SemverVersion n = SemverVersion.NUGET;
        OrderAssert.equal(n, "1.0", "1.0.0", "1.0.0.0", "1");
        cmp(n, "1.0.0.1", ">", "1.0.0");
        cmp(n, "1.0.0-ALPHA", "=", "1.0.0-alpha");
        cmp(n, "13.0.1", ">", "12.0.3");
        cmp(n, "4.7.0-beta.1", "<", "4.7.0");
    }
}
