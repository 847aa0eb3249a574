package io.berth.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The merged key/value view (command line over environment over file over defaults) with typed readers for the
 * sections. A bad value becomes a problem that names the key, the value and what is allowed, and the reader returns
 * a placeholder, so that reading goes on and the start fails once, listing everything.
 */
final class ConfigValues {
    private final Map<String, String> values;
    private final List<String> problems;

    ConfigValues(Map<String, String> values, List<String> problemsSoFar) {
        this.values = Map.copyOf(values);
        this.problems = new ArrayList<>(problemsSoFar);
    }

    List<String> problems() { return List.copyOf(problems); }

    void problem(String message) { problems.add(message); }

    /** The value as given; null when no source set it and it has no default. */
    String raw(ConfigKey key) { return values.get(key.name()); }

    /** The value as given, or empty. */
    Optional<String> optional(ConfigKey key) { return Optional.ofNullable(raw(key)); }

    /** The trimmed value, empty when unset or blank. */
    Optional<String> nonBlank(ConfigKey key) {
        return optional(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    boolean bool(ConfigKey key) {
        String s = Optional.ofNullable(raw(key)).orElse(key.defaultValue()).trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            problem(key.name() + " must be true or false, got '" + s + "'");
        }
        return s.equals("true");
    }

    long number(ConfigKey key, long min) {
        String s = raw(key);
        try {
            long n = Long.parseLong(s == null ? "" : s.trim());
            if (n < min) {
                problem(key.name() + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key.name() + " must be a whole number, got '" + s + "'");
            return min;
        }
    }

    /** {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d} or ISO-8601; zero when invalid. */
    Duration duration(ConfigKey key) {
        String s = raw(key);
        try {
            Duration d = Durations.parse(s);
            if (d.isNegative()) {
                problem(key.name() + " must not be negative, got '" + s + "'");
            }
            return d;
        } catch (IllegalArgumentException | NullPointerException e) {
            problem(key.name() + ": " + (s == null ? "missing" : e.getMessage()));
            return Duration.ZERO;
        }
    }

    /** A duration of at least {@code min}; {@code min} (and a problem) when shorter or invalid. */
    Duration durationAtLeast(ConfigKey key, Duration min) {
        Duration d = duration(key);
        if (d.compareTo(min) < 0) {
            problem(key.name() + " must be at least " + Durations.format(min) + ", got '" + raw(key) + "'");
            return min;
        }
        return d;
    }

    <E extends Enum<E>> E oneOf(ConfigKey key, Class<E> type, E fallback) {
        String s = raw(key);
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (s != null && e.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return e;
            }
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        problem(key.name() + " must be one of " + String.join("|", names) + ", got '" + s + "'");
        return fallback;
    }

    /** An absolute, normalised path; null (and a problem) when empty or invalid. */
    Path path(ConfigKey key) {
        String s = raw(key);
        if (s == null || s.isBlank()) {
            problem(key.name() + " must not be empty");
            return null;
        }
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problem(key.name() + " is not a valid path: " + s);
            return null;
        }
    }

    /** A path to an existing regular file; null (and a problem) otherwise. */
    Path readableFile(ConfigKey key) {
        Path p = path(key);
        if (p != null && !Files.isRegularFile(p)) {
            problem(key.name() + " " + p + " is not a readable file");
            return null;
        }
        return p;
    }
}
