package io.berth.scanner.version;

import static io.berth.scanner.version.OrderAssert.cmp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PEP 440's own ordering example (the "Summary of permitted suffixes and relative ordering"), normalisation. */
class Pep440VersionTest {
    private static final Pep440Version V = Pep440Version.INSTANCE;

    @Test
    void compare_pep440SummaryOrdering() {
        OrderAssert.ascending(V, List.of("1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456",
                "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456",
                "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15",
                "1.1.dev1"));
    }

    @Test
    void compare_normalisedSpellingsAreEqual() {
        OrderAssert.equal(V, "1.0", "1", "1.0.0", "v1.0", " 1.0 ");
        OrderAssert.equal(V, "1.0a1", "1.0alpha1", "1.0-a1", "1.0.a.1", "1.0_a_1", "1.0A1");
        OrderAssert.equal(V, "1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-rc-1");
        OrderAssert.equal(V, "1.0.post1", "1.0-1", "1.0-post1", "1.0r1", "1.0rev1", "1.0post1");
        OrderAssert.equal(V, "1.0.dev0", "1.0.dev", "1.0dev", "1.0-dev0");
        OrderAssert.equal(V, "1.0b", "1.0b0");
        OrderAssert.equal(V, "1.0+ubuntu-1", "1.0+ubuntu.1", "1.0+ubuntu_1");
    }

    @Test
    void compare_epochsAndRealPackages() {
        cmp(V, "1!1.0", ">", "2.0");
        cmp(V, "3.2.18", "<", "3.2.19");          // django
        cmp(V, "4.2a1", "<", "4.2");
        cmp(V, "2.31.0", ">", "2.3.0");           // requests
        cmp(V, "1.26.17", "<", "1.26.18");        // urllib3
        cmp(V, "41.0.4", ">", "41.0.3");          // cryptography
        cmp(V, "10.0.1", ">", "9.5.0");           // pillow
        cmp(V, "0.1-bulbasaur".replace("-bulbasaur", ""), "=", "0.1");
    }

    @Test
    void validate_refusesLegacyVersions() {
        assertThat(V.isValid("french toast")).isFalse();
        assertThat(V.isValid("0.1-bulbasaur")).isFalse(); // paramiko's pre-PEP 440 names: not comparable
        assertThat(V.isValid("1.0+")).isFalse();
        assertThat(V.isValid("1.0-beta-foo")).isFalse();
        assertThat(V.isValid("1.0.0.0.0.1")).isTrue();
    }
}
