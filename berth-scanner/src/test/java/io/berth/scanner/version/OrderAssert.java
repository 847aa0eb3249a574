package io.berth.scanner.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Shared table checks: every pair of an ascending list, both ways, and groups of equal spellings. */
final class OrderAssert {
    private OrderAssert() {}

    static void ascending(VersionScheme scheme, List<String> versions) {
        for (int i = 0; i < versions.size(); i++) {
            for (int j = 0; j < versions.size(); j++) {
                String a = versions.get(i);
                String b = versions.get(j);
                assertThat(Integer.signum(scheme.compare(a, b)))
                        .as("%s compare(%s, %s)", scheme.name(), a, b).isEqualTo(Integer.compare(i, j));
            }
        }
    }

    static void equal(VersionScheme scheme, String... spellings) {
        for (String a : spellings) {
            for (String b : spellings) {
                assertThat(scheme.compare(a, b)).as("%s compare(%s, %s)", scheme.name(), a, b).isZero();
            }
        }
    }

    static void cmp(VersionScheme scheme, String a, String op, String b) {
        int expected = switch (op) {
            case "<" -> -1;
            case "=" -> 0;
            case ">" -> 1;
            default -> throw new IllegalArgumentException(op);
        };
        assertThat(Integer.signum(scheme.compare(a, b))).as("%s %s %s %s", scheme.name(), a, op, b)
                .isEqualTo(expected);
        assertThat(Integer.signum(scheme.compare(b, a))).as("%s %s (reversed) %s", scheme.name(), b, a)
                .isEqualTo(-expected);
    }
}
