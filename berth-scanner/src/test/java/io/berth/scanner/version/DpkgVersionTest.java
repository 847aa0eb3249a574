package io.berth.scanner.version;

import static io.berth.scanner.version.OrderAssert.cmp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DpkgVersionTest {
    private static final DpkgVersion V = DpkgVersion.INSTANCE;

    /** Debian Policy §5.6.12's examples and the corner cases of dpkg's own test suite (t-version). */
    @Test
    void compare_policyExamples() {
        OrderAssert.ascending(V, List.of("1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"));
        cmp(V, "1.0", "<", "1.1");
        cmp(V, "1.0~rc1", "<", "1.0");
        cmp(V, "1:0.1", ">", "2.0");               // the epoch wins
        cmp(V, "0:1.0", "=", "1.0");               // epoch 0 is no epoch
        cmp(V, "1.0", "=", "1.0-0");               // no revision equals revision 0
        cmp(V, "1.0-1", "<", "1.0-2");
        cmp(V, "1.0-1", "<", "1.0-1+deb11u1");
        cmp(V, "1.0-1+deb11u1", "<", "1.0-1+deb11u2");
        cmp(V, "1.0-1~deb11u1", "<", "1.0-1");      // a backport sorts before the release it comes from
        cmp(V, "1.0+b1", ">", "1.0");
        cmp(V, "1.00", "=", "1.0");                // numbers, not strings
        cmp(V, "1.10", ">", "1.9");
        cmp(V, "1.0.0", ">", "1.0");
        cmp(V, "1.0a", "<", "1.0+");               // letters before non-letters
        cmp(V, "1.0-a", "<", "1.0-+");
        cmp(V, "2:1.20.11-1+deb11u6", ">", "2:1.20.11-1+deb11u5");
        cmp(V, "1.2-3-4", ">", "1.2-3");           // the last hyphen starts the revision
        cmp(V, "7.74.0-1.3+deb11u7", ">", "7.74.0-1.3+deb11u3");
    }

    @Test
    void validate_refusesWhatDpkgRefuses() {
        assertThatThrownBy(() -> V.validate("")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> V.validate("a:1.0")).hasMessageContaining("epoch");
        assertThatThrownBy(() -> V.validate("1.0 1")).hasMessageContaining("space");
        assertThatThrownBy(() -> V.validate("1.0-")).hasMessageContaining("revision");
        assertThatThrownBy(() -> V.validate("abc")).hasMessageContaining("digit");
        assertThatThrownBy(() -> V.validate("1.0_1")).hasMessageContaining("invalid character");
    }

    /**
     * Many pairs against the real dpkg: random versions made of the characters that matter (digits, letters,
     * {@code ~ + . -}, epochs) plus the fixed versions of the real DSA list, each pair asked of
     * {@code dpkg --compare-versions} with {@code lt} and {@code gt}.
     */
    @Test
    void compare_agreesWithDpkgCompareVersions() throws Exception {
        Path dpkg = Path.of("/usr/bin/dpkg");
        assumeTrue(Files.isExecutable(dpkg), "dpkg is not installed");
        Random random = new Random(20261201);
        List<String> pool = new ArrayList<>(realVersions(random, 150));
        for (int i = 0; i < 150; i++) {
            pool.add(randomVersion(random));
        }
        int pairs = 0;
        for (int i = 0; i < 400; i++) {
            String a = pool.get(random.nextInt(pool.size()));
            // half of the pairs are near-misses: the same version with one small change
            String b = random.nextBoolean() ? pool.get(random.nextInt(pool.size())) : mutate(a, random);
            if (!V.isValid(a) || !V.isValid(b)) {
                continue;
            }
            int expected = dpkg(a, "lt", b) ? -1 : dpkg(a, "gt", b) ? 1 : 0;
            assertThat(Integer.signum(V.compare(a, b))).as("dpkg --compare-versions '%s' vs '%s'", a, b)
                    .isEqualTo(expected);
            pairs++;
        }
        assertThat(pairs).isGreaterThan(300);
    }

    private static boolean dpkg(String a, String op, String b) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dpkg", "--compare-versions", a, op, b).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static Set<String> realVersions(Random random, int n) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        Pattern line = Pattern.compile("^\\s+\\[[a-z]+\\] - \\S+ ([0-9][^\\s]*)");
        try (InputStream in = DpkgVersionTest.class.getResourceAsStream("/vulndata/debian/DSA-list");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String s;
            while ((s = r.readLine()) != null) {
                Matcher m = line.matcher(s);
                if (m.find()) {
                    all.add(m.group(1));
                }
            }
        }
        while (out.size() < n) {
            out.add(all.get(random.nextInt(all.size())));
        }
        return out;
    }

    private static String randomVersion(Random random) {
        String alphabet = "0123456789abz~+.";
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(5) == 0) {
            sb.append(random.nextInt(3)).append(':');
        }
        sb.append(random.nextInt(10));
        int len = random.nextInt(8);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (random.nextBoolean()) {
            sb.append('-').append(random.nextInt(4));
            int rl = random.nextInt(4);
            for (int i = 0; i < rl; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }

    private static String mutate(String v, Random random) {
        String[] edits = {"~1", "~", "+b1", "a", ".0", "0", "-1", "+deb11u1", "~deb11u1"};
        return switch (random.nextInt(3)) {
            case 0 -> v + edits[random.nextInt(edits.length)];
            case 1 -> v.replaceFirst("\\d", String.valueOf(random.nextInt(10)));
            default -> v.length() > 2 ? v.substring(0, v.length() - 1) : v + "1";
        };
    }
}
