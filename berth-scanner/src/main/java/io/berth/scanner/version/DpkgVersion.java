package io.berth.scanner.version;

/**
 * Debian's version order, as {@code dpkg --compare-versions} implements it (lib/dpkg/version.c, verrevcmp):
 * {@code [epoch:]upstream[-revision]}; the epoch compares as a number, then upstream and revision each by
 * alternating runs of non-digits (letters before other characters, {@code ~} before everything including the end)
 * and digits (as numbers). A missing revision equals {@code 0}, so {@code 1.0} equals {@code 1.0-0}.
 */
public final class DpkgVersion implements VersionScheme {
    public static final DpkgVersion INSTANCE = new DpkgVersion();

    private DpkgVersion() {}

    @Override
    public String name() { return "dpkg"; }

    private record Parsed(long epoch, String upstream, String revision) {}

    private static Parsed parse(String v) {
        String s = v.strip();
        if (s.isEmpty()) {
            throw new InvalidVersionException("dpkg", v, "empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                throw new InvalidVersionException("dpkg", v, "embedded space");
            }
        }
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(c -> c >= '0' && c <= '9') || e.length() > 9) {
                throw new InvalidVersionException("dpkg", v, "epoch is not a number");
            }
            epoch = Long.parseLong(e);
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        String upstream = dash >= 0 ? s.substring(0, dash) : s;
        String revision = dash >= 0 ? s.substring(dash + 1) : "";
        if (upstream.isEmpty()) {
            throw new InvalidVersionException("dpkg", v, "empty upstream version");
        }
        if (dash >= 0 && revision.isEmpty()) {
            throw new InvalidVersionException("dpkg", v, "empty revision");
        }
        if (!Character.isDigit(upstream.charAt(0))) {
            throw new InvalidVersionException("dpkg", v, "upstream version does not start with a digit");
        }
        for (char c : upstream.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) && c < 128) && ".+~-:".indexOf(c) < 0) {
                throw new InvalidVersionException("dpkg", v, "invalid character '" + c + "' in upstream version");
            }
        }
        for (char c : revision.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) && c < 128) && ".+~".indexOf(c) < 0) {
                throw new InvalidVersionException("dpkg", v, "invalid character '" + c + "' in revision");
            }
        }
        return new Parsed(epoch, upstream, revision);
    }

    @Override
    public int compare(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) {
            return c;
        }
        c = verrevcmp(x.upstream, y.upstream);
        return c != 0 ? c : verrevcmp(x.revision, y.revision);
    }

    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean digit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !digit(a, i)) || (j < b.length() && !digit(b, j))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (digit(a, i) && digit(b, j)) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (digit(a, i)) {
                return 1;
            }
            if (digit(b, j)) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }
}
