package io.berth.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every scheme on seeded random strings made of the characters its versions use: a string is either refused with
 * {@link InvalidVersionException} (never any other exception) or ordered, and the order is a total order on what
 * it accepts (reflexive, antisymmetric, transitive), checked on every triple of a sample.
 */
class VersionOrderPropertiesTest {
    private static final int STRINGS = 3_000;
    private static final int SAMPLE = 40;

    private record Case(VersionScheme scheme, String alphabet) {}

    @Test
    void everyScheme_refusesCleanly_andOrdersTotally() {
        List<Case> cases = List.of(
                new Case(DpkgVersion.INSTANCE, "0123456789.~+-:ab"),
                new Case(ApkVersion.INSTANCE, "0123456789._-rabp"),
                new Case(RpmVersion.INSTANCE, "0123456789.~^-:_ab"),
                new Case(MavenVersion.INSTANCE, "0123456789.-abrcspfinal"),
                new Case(Pep440Version.INSTANCE, "0123456789.!+abrcpostdev-"),
                new Case(SemverVersion.NPM, "0123456789.-+av"),
                new Case(SemverVersion.GO, "0123456789.-+vgo"),
                new Case(SemverVersion.NUGET, "0123456789.-+aB"));
        Random random = new Random(42);
        int accepted = 0;
        for (Case c : cases) {
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < STRINGS; i++) {
                String s = randomString(random, c.alphabet);
                try {
                    c.scheme.validate(s);
                    valid.add(s);
                } catch (InvalidVersionException expected) {
                    // refused cleanly
                } catch (RuntimeException e) {
                    fail(c.scheme.name() + " threw " + e + " for '" + s + "'");
                }
            }
            accepted += valid.size();
            List<String> sample = valid.subList(0, Math.min(SAMPLE, valid.size()));
            for (String a : sample) {
                assertThat(c.scheme.compare(a, a)).as("%s reflexive %s", c.scheme.name(), a).isZero();
                for (String b : sample) {
                    int ab = Integer.signum(c.scheme.compare(a, b));
                    assertThat(Integer.signum(c.scheme.compare(b, a))).as("%s antisymmetric %s %s", c.scheme.name(),
                            a, b).isEqualTo(-ab);
                    for (String d : sample) {
                        if (ab <= 0 && c.scheme.compare(b, d) <= 0) {
                            assertThat(c.scheme.compare(a, d)).as("%s transitive %s <= %s <= %s", c.scheme.name(),
                                    a, b, d).isLessThanOrEqualTo(0);
                        }
                    }
                }
            }
        }
        assertThat(accepted).isGreaterThan(1000);
    }

    private static String randomString(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        sb.append((char) ('0' + random.nextInt(10)));
        int len = random.nextInt(12);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
