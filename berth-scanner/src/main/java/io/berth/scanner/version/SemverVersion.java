package io.berth.scanner.version;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0.0 precedence (semver.org §11): {@code MAJOR.MINOR.PATCH}, numerically; a pre-release
 * ({@code -rc.1}) sorts before its release, its dot-separated identifiers compare numerically when numeric,
 * numeric before alphanumeric, and a longer list after its prefix; build metadata ({@code +build}) is ignored.
 * Four flavours:
 * <ul>
 *   <li>{@link #NPM}: node-semver, which also accepts a leading {@code v} or {@code =};</li>
 *   <li>{@link #CRATES}: Cargo, strict;</li>
 *   <li>{@link #GO}: Go modules, {@code v1.2.3}, where {@code +incompatible} is build metadata and pseudo-versions
 *       are ordinary pre-releases; the standard library's {@code go1.21rc2} / {@code go1.20} are read as
 *       {@code 1.21.0-rc.2} / {@code 1.20.0}, as the Go vulnerability database writes them;</li>
 *   <li>{@link #NUGET}: NuGet, with an optional fourth number, missing parts as 0, and case-insensitive
 *       pre-release labels.</li>
 * </ul>
 */
public final class SemverVersion implements VersionScheme {
    public static final SemverVersion NPM = new SemverVersion("semver", false, false);
    public static final SemverVersion CRATES = new SemverVersion("semver", false, false);
    public static final SemverVersion GO = new SemverVersion("go", false, false);
    public static final SemverVersion NUGET = new SemverVersion("nuget", true, true);

    private static final Pattern STRICT = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)()"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern NUGET_PATTERN = Pattern.compile(
            "^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?"
            + "(?:-([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern GO_TOOLCHAIN = Pattern.compile("^go(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?"
            + "(?:(alpha|beta|rc)(\\d+))?$");

    private final String name;
    private final boolean nuget;
    private final boolean ignoreCase;

    private SemverVersion(String name, boolean nuget, boolean ignoreCase) {
        this.name = name;
        this.nuget = nuget;
        this.ignoreCase = ignoreCase;
    }

    @Override
    public String name() { return name; }

    private record Parsed(BigInteger[] numbers, String[] pre) {}

    private Parsed parse(String version) {
        String v = version.strip();
        if (this == GO) {
            Matcher t = GO_TOOLCHAIN.matcher(v);
            if (t.matches()) {
                v = t.group(1) + "." + (t.group(2) == null ? "0" : t.group(2)) + "."
                        + (t.group(3) == null ? "0" : t.group(3))
                        + (t.group(4) == null ? "" : "-" + t.group(4) + "." + t.group(5));
            }
        }
        if (v.startsWith("v") || (this == NPM && v.startsWith("="))) {
            v = v.substring(1);
        }
        Matcher m = (nuget ? NUGET_PATTERN : STRICT).matcher(v);
        if (!m.matches()) {
            throw new InvalidVersionException(name, version, "not MAJOR.MINOR.PATCH[-pre][+build]");
        }
        BigInteger[] numbers = new BigInteger[4];
        for (int i = 0; i < 4; i++) {
            String g = m.group(i + 1);
            numbers[i] = g == null || g.isEmpty() ? BigInteger.ZERO : new BigInteger(g);
        }
        String pre = m.group(5);
        if (pre != null && ignoreCase) {
            pre = pre.toLowerCase(Locale.ROOT);
        }
        return new Parsed(numbers, pre == null ? null : pre.split("\\."));
    }

    @Override
    public int compare(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        for (int i = 0; i < 4; i++) {
            int c = x.numbers[i].compareTo(y.numbers[i]);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        if (x.pre == null || y.pre == null) {
            return x.pre == y.pre ? 0 : (x.pre == null ? 1 : -1);
        }
        for (int i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
            String l = x.pre[i];
            String r = y.pre[i];
            boolean ln = !l.isEmpty() && l.chars().allMatch(Character::isDigit);
            boolean rn = !r.isEmpty() && r.chars().allMatch(Character::isDigit);
            int c;
            if (ln && rn) {
                c = new BigInteger(l).compareTo(new BigInteger(r));
            } else if (ln != rn) {
                c = ln ? -1 : 1;
            } else {
                c = l.compareTo(r); // ASCII order, as the spec says
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(x.pre.length, y.pre.length);
    }
}
