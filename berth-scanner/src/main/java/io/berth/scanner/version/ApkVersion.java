package io.berth.scanner.version;

/**
 * Alpine's order, as apk-tools implements it (src/version.c, apk_version_compare): {@code 1.2.3a_rc1_p2-r4}, that
 * is dot-separated numbers, one optional letter, suffixes ({@code _alpha _beta _pre _rc} sort before the release,
 * {@code _cvs _svn _git _hg _p} after it), each with an optional number, and {@code -rN}, the package revision. A
 * component after a dot with leading zeros sorts before one without ({@code 1.005 < 1.05 < 1.5}), as in apk-tools.
 */
public final class ApkVersion implements VersionScheme {
    public static final ApkVersion INSTANCE = new ApkVersion();

    private static final String[] PRE = {"alpha", "beta", "pre", "rc"};
    private static final String[] POST = {"cvs", "svn", "git", "hg", "p"};

    // token types, in apk-tools' order (the order matters: see next())
    private static final int INVALID = -1;
    private static final int DIGIT_OR_ZERO = 0;
    private static final int DIGIT = 1;
    private static final int LETTER = 2;
    private static final int SUFFIX = 3;
    private static final int SUFFIX_NO = 4;
    private static final int REVISION_NO = 5;
    private static final int END = 6;

    private ApkVersion() {}

    @Override
    public String name() { return "apk"; }

    /** A cursor over one version string: the type of the next token and where it starts. */
    private static final class Cursor {
        final String s;
        int pos;
        int type = DIGIT;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() { return pos >= s.length(); }

        char ch(int offset) { return pos + offset < s.length() ? s.charAt(pos + offset) : 0; }

        /** apk-tools' next_token: the type of what follows the token just read. */
        void next() {
            int n = INVALID;
            char c = ch(0);
            if (atEnd()) {
                n = END;
            } else if ((type == DIGIT || type == DIGIT_OR_ZERO) && c >= 'a' && c <= 'z') {
                n = LETTER;
            } else if (type == LETTER && Character.isDigit(c)) {
                n = DIGIT;
            } else if (type == SUFFIX && Character.isDigit(c)) {
                n = SUFFIX_NO;
            } else {
                switch (c) {
                    case '.' -> n = DIGIT_OR_ZERO;
                    case '_' -> n = SUFFIX;
                    case '-' -> {
                        if (ch(1) == 'r') {
                            n = REVISION_NO;
                            pos++;
                        }
                    }
                    default -> n = INVALID;
                }
                pos++;
            }
            if (n < type && n != INVALID) {
                if (!((n == DIGIT_OR_ZERO && type == DIGIT) || (n == SUFFIX && type == SUFFIX_NO)
                        || (n == DIGIT && type == LETTER))) {
                    n = INVALID;
                }
            }
            type = n;
        }

        /** apk-tools' get_token: the value of the token at the cursor, then advances. */
        long get() {
            if (atEnd()) {
                type = END;
                return 0;
            }
            long v = 0;
            int i = 0;
            int nt = INVALID;
            switch (type) {
                case DIGIT_OR_ZERO:
                    if (ch(0) == '0') {
                        // zeros beyond the first count against the component (1.005 < 1.05 < 1.5)
                        while (pos + i + 1 < s.length() && s.charAt(pos + i + 1) == '0') {
                            i++;
                        }
                        nt = DIGIT;
                        v = -i;
                        break;
                    }
                    // fall through: a component without leading zeros is an ordinary number
                case DIGIT:
                case SUFFIX_NO:
                case REVISION_NO:
                    while (pos + i < s.length() && Character.isDigit(s.charAt(pos + i)) && i < 18) {
                        v = v * 10 + (s.charAt(pos + i) - '0');
                        i++;
                    }
                    if (i == 0 || (pos + i < s.length() && Character.isDigit(s.charAt(pos + i)))) {
                        type = INVALID; // no digits where a number belongs (1..2, 1.0-r), or more than a long holds
                        return 0;
                    }
                    break;
                case LETTER:
                    v = s.charAt(pos);
                    i = 1;
                    break;
                case SUFFIX: {
                    int found = match(PRE);
                    if (found >= 0) {
                        i = PRE[found].length();
                        v = found - PRE.length;
                        break;
                    }
                    found = match(POST);
                    if (found >= 0) {
                        i = POST[found].length();
                        v = found;
                        break;
                    }
                    type = INVALID;
                    return -1;
                }
                default:
                    type = INVALID;
                    return -1;
            }
            pos += i;
            if (atEnd()) {
                type = END;
            } else if (nt != INVALID) {
                type = nt;
            } else {
                next();
            }
            return v;
        }

        private int match(String[] names) {
            for (int k = 0; k < names.length; k++) {
                if (s.startsWith(names[k], pos)) {
                    return k;
                }
            }
            return -1;
        }
    }

    @Override
    public void validate(String version) {
        if (version == null || version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            throw new InvalidVersionException("apk", String.valueOf(version), "must start with a digit");
        }
        Cursor c = new Cursor(version);
        while (c.type != END && c.type != INVALID) {
            c.get();
        }
        if (c.type == INVALID) {
            throw new InvalidVersionException("apk", version, "unexpected character at offset " + c.pos);
        }
    }

    @Override
    public int compare(String a, String b) {
        validate(a);
        validate(b);
        Cursor x = new Cursor(a);
        Cursor y = new Cursor(b);
        long av = 0;
        long bv = 0;
        while (x.type == y.type && x.type != END && x.type != INVALID && av == bv) {
            av = x.get();
            bv = y.get();
        }
        if (av != bv) {
            return av < bv ? -1 : 1;
        }
        if (x.type == y.type) {
            return 0;
        }
        // equal so far: the longer version is greater, unless what follows is a pre-release suffix
        if (x.type == SUFFIX && peekSuffix(x) < 0) {
            return -1;
        }
        if (y.type == SUFFIX && peekSuffix(y) < 0) {
            return 1;
        }
        if (x.type > y.type) {
            return -1;
        }
        if (y.type > x.type) {
            return 1;
        }
        return 0;
    }

    private static long peekSuffix(Cursor c) {
        Cursor copy = new Cursor(c.s);
        copy.pos = c.pos;
        copy.type = c.type;
        return copy.get();
    }
}
