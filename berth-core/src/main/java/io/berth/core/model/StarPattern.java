package io.berth.core.model;

/**
 * ECR's wildcard patterns (lifecycle {@code tagPatternList}, scanning repository filters): {@code *} matches zero or
 * more characters, every other character itself, and the whole text must match.
 */
public final class StarPattern {
    private StarPattern() {}

    /**
     * Linear backtracking to the last star, no regex: lifecycle evaluation runs this for every tag of every image of
     * every rule, and a pattern is user input.
     */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
