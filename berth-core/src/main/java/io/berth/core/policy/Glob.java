package io.berth.core.policy;

import java.util.Locale;

/**
 * A compiled IAM wildcard pattern: {@code *} matches any run of characters (including none) and {@code ?} exactly
 * one, as in Action, Resource, StringLike and ArnLike (IAM "Condition operators" and "Resource" pages). Each
 * character carries its own "is a wildcard" bit because a policy variable's value and the escapes {@code ${*}},
 * {@code ${?}} are literal text even inside a Like pattern (IAM "Policy variables", special characters).
 * Matching is iterative (greedy with one backtrack point), so a hostile pattern cannot blow the stack and costs at
 * most O(pattern × text).
 */
final class Glob {
    private final char[] chars;
    private final boolean[] wild;
    private final boolean ignoreCase;
    private final boolean hasWildcard;

    private Glob(char[] chars, boolean[] wild, boolean ignoreCase) {
        this.chars = chars;
        this.wild = wild;
        this.ignoreCase = ignoreCase;
        boolean any = false;
        for (boolean w : wild) {
            any |= w;
        }
        this.hasWildcard = any;
    }

    /** A pattern where {@code *} and {@code ?} are wildcards when {@code wildcards} is true, literal otherwise. */
    static Glob of(String text, boolean wildcards, boolean ignoreCase) {
        String s = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        char[] chars = s.toCharArray();
        boolean[] wild = new boolean[chars.length];
        if (wildcards) {
            for (int i = 0; i < chars.length; i++) {
                wild[i] = chars[i] == '*' || chars[i] == '?';
            }
        }
        return new Glob(chars, wild, ignoreCase);
    }

    /** Assembles a pattern from parts built by {@link Template}; {@code wild} is owned by the new Glob. */
    static Glob of(char[] chars, boolean[] wild, boolean ignoreCase) {
        if (ignoreCase) {
            for (int i = 0; i < chars.length; i++) {
                chars[i] = Character.toLowerCase(chars[i]);
            }
        }
        return new Glob(chars, wild, ignoreCase);
    }

    boolean matchesEverything() {
        return chars.length == 1 && wild[0] && chars[0] == '*';
    }

    boolean matches(CharSequence text) {
        return matches(text, 0, text.length());
    }

    /** Whether {@code text[from, to)} matches the whole pattern. */
    boolean matches(CharSequence text, int from, int to) {
        if (!hasWildcard) {
            if (to - from != chars.length) {
                return false;
            }
            for (int i = 0; i < chars.length; i++) {
                if (!same(chars[i], text.charAt(from + i))) {
                    return false;
                }
            }
            return true;
        }
        int p = 0;
        int t = from;
        int starP = -1;
        int starT = -1;
        int n = chars.length;
        while (t < to) {
            if (p < n && wild[p] && chars[p] == '*') {
                starP = p++;
                starT = t;
            } else if (p < n && ((wild[p] && chars[p] == '?') || (!wild[p] && same(chars[p], text.charAt(t))))) {
                p++;
                t++;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < n && wild[p] && chars[p] == '*') {
            p++;
        }
        return p == n;
    }

    private boolean same(char patternChar, char textChar) {
        return patternChar == textChar || (ignoreCase && patternChar == Character.toLowerCase(textChar));
    }

    @Override
    public String toString() { return new String(chars); }
}
