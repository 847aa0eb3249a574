package io.berth.scanner.version;

import static io.berth.scanner.version.OrderAssert.cmp;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables of Maven's own ComparableVersionTest and the examples of the POM reference's version order. */
class MavenVersionTest {
    private static final MavenVersion V = MavenVersion.INSTANCE;

    @Test
    void compare_qualifiers_asComparableVersionTest() {
        OrderAssert.ascending(V, List.of("1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123",
                "1-m2", "1-m11", "1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123",
                "1-abc", "1-def", "1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123"));
    }

    @Test
    void compare_numbers_asComparableVersionTest() {
        OrderAssert.ascending(V, List.of("2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a",
                "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2",
                "11.m11", "11", "11.a", "11b", "11c", "11m"));
    }

    @Test
    void compare_equalSpellings() {
        OrderAssert.equal(V, "1", "1.0", "1.0.0", "1-0", "1.0-0", "1-ga", "1.ga", "1-final", "1-release", "1ga");
        OrderAssert.equal(V, "1-a1", "1-alpha-1", "1alpha1", "1-alpha1", "1a1");
        OrderAssert.equal(V, "1-b1", "1-beta-1", "1-beta1");
        OrderAssert.equal(V, "1-m1", "1-milestone-1");
        OrderAssert.equal(V, "1-cr", "1-rc", "1-RC");
        OrderAssert.equal(V, "1-SNAPSHOT", "1-snapshot");
    }

    @Test
    void compare_realArtifactVersions() {
        cmp(V, "2.14.1", "<", "2.15.0");          // log4j-core, Log4Shell
        cmp(V, "2.0-beta9", "<", "2.0");
        cmp(V, "2.0-rc1", ">", "2.0-beta9");
        cmp(V, "2.12.7.1", ">", "2.12.7");       // jackson-databind's four-part fixes
        cmp(V, "5.3.18", "<", "5.3.20");
        cmp(V, "4.1.42.Final", "<", "4.1.44.Final");
        cmp(V, "4.1.44.Final", "=", "4.1.44");
        cmp(V, "31.1-jre", ">", "30.1.1-jre");    // guava
        cmp(V, "1.33", "<", "2.0");              // snakeyaml
        cmp(V, "1.10", ">", "1.9");
        cmp(V, "1.0-SNAPSHOT", "<", "1.0");
        cmp(V, "1-sp", ">", "1-ga");
        cmp(V, "1-sp.1", ">", "1-ga.1");
        cmp(V, "1-sp-1", "<", "1-ga-1");
    }
}
