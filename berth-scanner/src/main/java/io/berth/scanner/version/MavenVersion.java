package io.berth.scanner.version;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven's order, as org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.x) defines it: the version
 * splits at {@code .}, {@code -} and digit/letter transitions into numbers and qualifiers; {@code -} and a
 * transition open a sub-list; trailing nulls ({@code 0}, {@code ""}, {@code ga}, {@code final}, {@code release}) are
 * dropped, so {@code 1 = 1.0 = 1-ga}; qualifiers order {@code alpha < beta < milestone < rc = cr < snapshot < "" <
 * sp}, then unknown ones alphabetically after {@code sp}; {@code a1 b1 m1} directly followed by a digit mean alpha,
 * beta, milestone. Every string is a valid Maven version.
 */
public final class MavenVersion implements VersionScheme {
    public static final MavenVersion INSTANCE = new MavenVersion();

    private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
    private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

    private MavenVersion() {}

    @Override
    public String name() { return "maven"; }

    @Override
    public int compare(String a, String b) {
        if (a == null || b == null || a.isBlank() || b.isBlank()) {
            throw new InvalidVersionException("maven", String.valueOf(a == null || a.isBlank() ? a : b), "empty");
        }
        return Integer.signum(parse(a).compareTo(parse(b)));
    }

    private interface Item {
        int compareTo(Item other); // other may be null: compared with "nothing"

        boolean isNull();
    }

    private record IntItem(BigInteger value) implements Item {
        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return value.signum() == 0 ? 0 : 1;
            }
            if (other instanceof IntItem i) {
                return value.compareTo(i.value);
            }
            return 1; // 1.1 > 1-sp and 1.1 > 1-1
        }

        @Override
        public boolean isNull() { return value.signum() == 0; }
    }

    private record StringItem(String value) implements Item {
        static StringItem of(String value, boolean followedByDigit) {
            if (followedByDigit && value.length() == 1) {
                switch (value.charAt(0)) {
                    case 'a' -> value = "alpha";
                    case 'b' -> value = "beta";
                    case 'm' -> value = "milestone";
                    default -> { }
                }
            }
            value = switch (value) {
                case "ga", "final", "release" -> "";
                case "cr" -> "rc";
                default -> value;
            };
            return new StringItem(value);
        }

        static String comparable(String q) {
            int i = QUALIFIERS.indexOf(q);
            return i == -1 ? QUALIFIERS.size() + "-" + q : String.valueOf(i);
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return comparable(value).compareTo(RELEASE_INDEX);
            }
            if (other instanceof StringItem s) {
                return comparable(value).compareTo(comparable(s.value));
            }
            return -1; // 1.any < 1.1 and 1.any < 1-1
        }

        @Override
        public boolean isNull() { return comparable(value).equals(RELEASE_INDEX); }
    }

    private static final class ListItem extends ArrayList<Item> implements Item {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isNull() { return isEmpty(); }

        void normalize() {
            for (int i = size() - 1; i >= 0; i--) {
                Item last = get(i);
                if (last.isNull()) {
                    remove(i);
                } else if (!(last instanceof ListItem)) {
                    break;
                }
            }
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return isEmpty() ? 0 : get(0).compareTo(null);
            }
            if (other instanceof IntItem) {
                return -1; // 1-1 < 1.1
            }
            if (other instanceof StringItem) {
                return 1; // 1-1 > 1-sp
            }
            ListItem o = (ListItem) other;
            for (int i = 0; i < Math.max(size(), o.size()); i++) {
                Item l = i < size() ? get(i) : null;
                Item r = i < o.size() ? o.get(i) : null;
                int result = l == null ? (r == null ? 0 : -r.compareTo(null)) : l.compareTo(r);
                if (result != 0) {
                    return result;
                }
            }
            return 0;
        }

        @Override
        public boolean equals(Object o) { return this == o; }

        @Override
        public int hashCode() { return System.identityHashCode(this); }
    }

    private static Item item(boolean isDigit, String buf) {
        return isDigit ? new IntItem(new BigInteger(buf)) : StringItem.of(buf, false);
    }

    static ListItem parse(String version) {
        String v = version.toLowerCase(Locale.ENGLISH);
        ListItem list = new ListItem();
        ListItem root = list;
        Deque<ListItem> stack = new ArrayDeque<>();
        stack.push(list);
        boolean isDigit = false;
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                list.add(i == start ? new IntItem(BigInteger.ZERO) : item(isDigit, v.substring(start, i)));
                start = i + 1;
            } else if (c == '-') {
                list.add(i == start ? new IntItem(BigInteger.ZERO) : item(isDigit, v.substring(start, i)));
                start = i + 1;
                ListItem sub = new ListItem();
                list.add(sub);
                list = sub;
                stack.push(list);
            } else if (c >= '0' && c <= '9') {
                if (!isDigit && i > start) {
                    list.add(StringItem.of(v.substring(start, i), true));
                    start = i;
                    ListItem sub = new ListItem();
                    list.add(sub);
                    list = sub;
                    stack.push(list);
                }
                isDigit = true;
            } else {
                if (isDigit && i > start) {
                    list.add(item(true, v.substring(start, i)));
                    start = i;
                    ListItem sub = new ListItem();
                    list.add(sub);
                    list = sub;
                    stack.push(list);
                }
                isDigit = false;
            }
        }
        if (v.length() > start) {
            list.add(item(isDigit, v.substring(start)));
        }
        while (!stack.isEmpty()) {
            stack.pop().normalize();
        }
        return root;
    }
}
