package io.berth.scanner.version;

/**
 * RPM's order: {@code [epoch:]version[-release]}, the epoch as a number (missing is 0), then version and release by
 * rpmvercmp (rpmio/rpmvercmp.c): separators are skipped, runs of digits compare as numbers and beat runs of letters,
 * {@code ~} sorts before everything (even the end: {@code 1.0~rc1 < 1.0}) and {@code ^} after the end but before
 * anything else ({@code 1.0 < 1.0^git1 < 1.0.1}). As in rpm's EVR comparison, a release present on only one side
 * is not compared ({@code 1.0} matches {@code 1.0-3}).
 */
public final class RpmVersion implements VersionScheme {
    public static final RpmVersion INSTANCE = new RpmVersion();

    private RpmVersion() {}

    @Override
    public String name() { return "rpm"; }

    private record Evr(long epoch, String version, String release) {}

    private static Evr parse(String v) {
        String s = v.strip();
        if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidVersionException("rpm", v, "empty or contains a space");
        }
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || e.length() > 9 || !e.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidVersionException("rpm", v, "epoch is not a number");
            }
            epoch = Long.parseLong(e);
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        String version = dash >= 0 ? s.substring(0, dash) : s;
        String release = dash >= 0 ? s.substring(dash + 1) : null;
        if (version.isEmpty() || (release != null && release.isEmpty())) {
            throw new InvalidVersionException("rpm", v, "empty version or release");
        }
        return new Evr(epoch, version, release);
    }

    @Override
    public int compare(String a, String b) {
        Evr x = parse(a);
        Evr y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) {
            return c;
        }
        c = rpmvercmp(x.version, y.version);
        if (c != 0 || x.release == null || y.release == null) {
            return c;
        }
        return rpmvercmp(x.release, y.release);
    }

    private static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    /** rpmvercmp, transcribed: returns -1, 0 or 1. */
    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int one = 0;
        int two = 0;
        while (one < a.length() || two < b.length()) {
            while (one < a.length() && !alnum(a.charAt(one)) && a.charAt(one) != '~' && a.charAt(one) != '^') {
                one++;
            }
            while (two < b.length() && !alnum(b.charAt(two)) && b.charAt(two) != '~' && b.charAt(two) != '^') {
                two++;
            }
            char c1 = at(a, one);
            char c2 = at(b, two);
            if (c1 == '~' || c2 == '~') {
                if (c1 != '~') {
                    return 1;
                }
                if (c2 != '~') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (c1 == '^' || c2 == '^') {
                if (c1 == 0) {
                    return -1;
                }
                if (c2 == 0) {
                    return 1;
                }
                if (c1 != '^') {
                    return 1;
                }
                if (c2 != '^') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (c1 == 0 || c2 == 0) {
                break;
            }
            int s1 = one;
            int s2 = two;
            boolean isnum;
            if (isDigit(c1)) {
                while (s1 < a.length() && isDigit(a.charAt(s1))) {
                    s1++;
                }
                while (s2 < b.length() && isDigit(b.charAt(s2))) {
                    s2++;
                }
                isnum = true;
            } else {
                while (s1 < a.length() && isAlpha(a.charAt(s1))) {
                    s1++;
                }
                while (s2 < b.length() && isAlpha(b.charAt(s2))) {
                    s2++;
                }
                isnum = false;
            }
            if (one == s1) {
                return -1; // cannot happen: c1 is alphanumeric
            }
            if (two == s2) {
                return isnum ? 1 : -1; // a number beats letters
            }
            String seg1 = a.substring(one, s1);
            String seg2 = b.substring(two, s2);
            if (isnum) {
                seg1 = stripZeros(seg1);
                seg2 = stripZeros(seg2);
                if (seg1.length() != seg2.length()) {
                    return seg1.length() > seg2.length() ? 1 : -1;
                }
            }
            int rc = seg1.compareTo(seg2);
            if (rc != 0) {
                return rc < 0 ? -1 : 1;
            }
            one = s1;
            two = s2;
        }
        if (one >= a.length() && two >= b.length()) {
            return 0;
        }
        return one >= a.length() ? -1 : 1;
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
