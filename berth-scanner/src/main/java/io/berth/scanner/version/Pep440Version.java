package io.berth.scanner.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's order, PEP 440 as the {@code packaging} library implements it (its VERSION_PATTERN and _cmpkey):
 * {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]} with the spellings PEP 440 normalises (alpha, beta, c, pre,
 * preview, rev, r, {@code -N} as post, separators {@code . - _} or none, a leading {@code v}). Trailing zeros of the
 * release do not count ({@code 1.0 == 1}); {@code 1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1}, and a local version sorts
 * after the same public one.
 */
public final class Pep440Version implements VersionScheme {
    public static final Pep440Version INSTANCE = new Pep440Version();

    private static final Pattern PATTERN = Pattern.compile("^\\s*v?"
            + "(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
            + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
            + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$");

    private Pep440Version() {}

    @Override
    public String name() { return "pep440"; }

    /** The comparison key; null fields mean "absent" and sort as packaging's Infinity/NegativeInfinity say. */
    private record Key(BigInteger epoch, List<BigInteger> release, int preRank, BigInteger preN, BigInteger post,
                       BigInteger dev, List<String> local) {}

    private static final int PRE_NONE_DEV_ONLY = -1; // 1.0.dev1: before any pre-release of 1.0
    private static final int PRE_NONE = 3;           // a final release: after every pre-release

    private static Key parse(String version) {
        Matcher m = PATTERN.matcher(version.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidVersionException("pep440", version, "does not match PEP 440");
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        while (release.size() > 1 && release.get(release.size() - 1).signum() == 0) {
            release.remove(release.size() - 1);
        }
        if (release.size() == 1 && release.get(0).signum() == 0) {
            release.clear(); // "0" and "0.0" are the empty release once zeros are trimmed
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            String n = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
            post = n == null ? BigInteger.ZERO : new BigInteger(n);
        }
        BigInteger dev = null;
        if (m.group("dev") != null) {
            dev = m.group("devN") == null ? BigInteger.ZERO : new BigInteger(m.group("devN"));
        }
        int preRank;
        BigInteger preN = BigInteger.ZERO;
        if (m.group("pre") != null) {
            preRank = switch (m.group("preL")) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2; // c, rc, pre, preview
            };
            preN = m.group("preN") == null ? BigInteger.ZERO : new BigInteger(m.group("preN"));
        } else if (post == null && dev != null) {
            preRank = PRE_NONE_DEV_ONLY;
        } else {
            preRank = PRE_NONE;
        }
        List<String> local = m.group("local") == null ? null : List.of(m.group("local").split("[-_.]"));
        return new Key(epoch, release, preRank, preN, post, dev, local);
    }

    @Override
    public int compare(String a, String b) {
        Key x = parse(a);
        Key y = parse(b);
        int c = x.epoch.compareTo(y.epoch);
        if (c != 0) {
            return Integer.signum(c);
        }
        for (int i = 0; i < Math.max(x.release.size(), y.release.size()); i++) {
            BigInteger l = i < x.release.size() ? x.release.get(i) : BigInteger.ZERO;
            BigInteger r = i < y.release.size() ? y.release.get(i) : BigInteger.ZERO;
            c = l.compareTo(r);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        c = Integer.compare(x.preRank, y.preRank);
        if (c == 0 && x.preRank >= 0 && x.preRank < PRE_NONE) {
            c = x.preN.compareTo(y.preN);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        c = absentFirst(x.post, y.post); // no post-release sorts before any
        if (c != 0) {
            return c;
        }
        c = absentLast(x.dev, y.dev);    // no dev-release sorts after any
        if (c != 0) {
            return c;
        }
        return compareLocal(x.local, y.local);
    }

    private static int absentFirst(BigInteger x, BigInteger y) {
        if (x == null || y == null) {
            return x == y ? 0 : (x == null ? -1 : 1);
        }
        return Integer.signum(x.compareTo(y));
    }

    private static int absentLast(BigInteger x, BigInteger y) {
        if (x == null || y == null) {
            return x == y ? 0 : (x == null ? 1 : -1);
        }
        return Integer.signum(x.compareTo(y));
    }

    /** packaging: no local version first; segments numeric as numbers, above alphanumeric ones; longer wins. */
    private static int compareLocal(List<String> x, List<String> y) {
        if (x == null || y == null) {
            return x == y ? 0 : (x == null ? -1 : 1);
        }
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String l = x.get(i);
            String r = y.get(i);
            boolean ln = l.chars().allMatch(Character::isDigit);
            boolean rn = r.chars().allMatch(Character::isDigit);
            int c;
            if (ln && rn) {
                c = new BigInteger(l).compareTo(new BigInteger(r));
            } else if (ln != rn) {
                c = ln ? 1 : -1;
            } else {
                c = l.compareTo(r);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
