package io.berth.server.config;

import java.util.List;
import java.util.function.Function;

/**
 * A section of the configuration: the keys it declares and how it reads them into its record, reporting bad values
 * to {@link ConfigValues} instead of throwing, so that one start lists every problem.
 */
record ConfigSection<T>(String title, List<ConfigKey> keys, Function<ConfigValues, T> reader) {
    ConfigSection {
        keys = List.copyOf(keys);
    }

    T read(ConfigValues values) { return reader.apply(values); }
}
