package io.berth.server.config;

import java.util.List;
import java.util.Map;

/**
 * Turns the merged view into a {@link BerthConfig}: every section checks its own keys, the problems are collected,
 * and the start fails once, listing them all.
 */
public final class ConfigValidator {
    private ConfigValidator() {}

    /** Validates the merged view; {@code problemsSoFar} may already hold problems found while reading sources. */
    public static BerthConfig validate(Map<String, String> merged, List<String> problemsSoFar) {
        ConfigValues values = new ConfigValues(merged, problemsSoFar);
        BerthConfig config = BerthConfig.read(values);
        if (!values.problems().isEmpty()) {
            throw new ConfigException(values.problems());
        }
        return config;
    }
}
