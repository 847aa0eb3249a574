package io.berth.scanner.version;

import static io.berth.scanner.version.OrderAssert.cmp;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** apk-tools' rules (its version.c and the cases of its test/version.data that are valid versions). */
class ApkVersionTest {
    private static final ApkVersion V = ApkVersion.INSTANCE;

    @Test
    void compare_suffixesAndRevisions() {
        OrderAssert.ascending(V, List.of("1.0_alpha", "1.0_alpha1", "1.0_alpha2", "1.0_beta", "1.0_beta3",
                "1.0_pre1", "1.0_rc1", "1.0_rc2", "1.0", "1.0-r1", "1.0-r2", "1.0-r10", "1.0_p1", "1.0_p1-r1",
                "1.0_p2", "1.0a", "1.0b", "1.0.1_rc1", "1.0.1", "1.1", "1.10", "2.0"));
        cmp(V, "2.34", ">", "0.1.0_alpha");
        cmp(V, "0.1.0_alpha", "=", "0.1.0_alpha");
        cmp(V, "0.1.0_alpha", "<", "0.1.3_alpha");
        cmp(V, "0.1.0_alpha2", ">", "0.1.0_alpha");
        cmp(V, "1.2.3a", ">", "1.2.3");
        cmp(V, "1.2.3a", "<", "1.2.4");
        cmp(V, "1.0_cvs1", "<", "1.0_svn1");      // post suffixes in their own order: cvs svn git hg p
        cmp(V, "1.0_git1", "<", "1.0_hg1");
        cmp(V, "1.0_hg1", "<", "1.0_p1");
        cmp(V, "1.0_rc1", "<", "1.0_p1");
        cmp(V, "1.1.1d-r3", "<", "1.1.1g-r0");     // openssl in Alpine 3.11
        cmp(V, "2.4.41-r0", ">", "2.4.39-r0");
        cmp(V, "1.05", "<", "1.5");               // leading zeros after a dot
        cmp(V, "1.5", "=", "1.5");
    }

    @Test
    void validate_refusesNonApkVersions() {
        assertThatThrownBy(() -> V.validate("1.0_foo")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> V.validate("1.0-1")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> V.validate("v1.0")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> V.validate("")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> V.validate("1..2")).isInstanceOf(InvalidVersionException.class);
    }
}
