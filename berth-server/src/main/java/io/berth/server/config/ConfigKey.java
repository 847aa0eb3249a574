package io.berth.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One configuration key, declared once, by the section record that reads it: its name in {@code berth.yaml}, its
 * environment variable and its default.
 *
 * @param name the dotted key ({@code gc.interval}); a YAML mapping {@code gc: {interval: 1h}} flattens to it
 * @param env the environment variable that overrides the file
 * @param defaultValue the value when no source sets the key; null when there is none (the key is then absent)
 * @param shownDefault what the README's configuration reference shows as the default
 */
public record ConfigKey(String name, String env, String defaultValue, String shownDefault) {
    /** A key with a default, read from {@code BERTH_} plus the key upper-cased, dots and dashes as underscores. */
    static ConfigKey of(String name, String defaultValue) {
        return new ConfigKey(name, derivedEnv(name), defaultValue, defaultValue);
    }

    /** A key that is absent unless a source sets it. */
    static ConfigKey withoutDefault(String name) {
        return new ConfigKey(name, derivedEnv(name), null, "");
    }

    /** The same key read from another environment variable. */
    ConfigKey env(String variable) {
        return new ConfigKey(name, variable, defaultValue, shownDefault);
    }

    /** The same key, documented with a default it computes at start (a file in the data directory, a new key). */
    ConfigKey shown(String documentedDefault) {
        return new ConfigKey(name, env, defaultValue, documentedDefault);
    }

    public Optional<String> defaultIfUnset() { return Optional.ofNullable(defaultValue); }

    private static String derivedEnv(String name) {
        return "BERTH_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
