package io.berth.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}). */
public final class Durations {
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i == s.length()) {
            throw new IllegalArgumentException("not a duration (use e.g. 30s, 15m, 1h, 7d): " + text);
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration out of range: " + text);
        }
        return switch (s.substring(i)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown duration unit in " + text + " (ms, s, m, h, d)");
        };
    }

    /** The short form used in logs: {@code 1h}, {@code 90s}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86400 == 0 && s != 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s != 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s != 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private Durations() {}
}
