package io.berth.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trino's TestXConfig checks for a section: {@link #assertRecordedDefaults} pins what the section reads when nothing
 * is set, {@link #assertFullMapping} that every key it declares is read (once from the file's flat view, once from
 * its environment variable), and {@link #assertEnvironment} the variable of each key.
 */
final class ConfigAssertions {
    private ConfigAssertions() {}

    static <T> void assertRecordedDefaults(ConfigSection<T> section, T expected) {
        assertThat(read(section, Map.of(), Map.of())).as("%s defaults", section.title()).isEqualTo(expected);
    }

    /** {@code values} must set every key of the section, each to something other than its default. */
    static <T> void assertFullMapping(ConfigSection<T> section, Map<String, String> values, T expected) {
        List<String> names = section.keys().stream().map(ConfigKey::name).toList();
        assertThat(values.keySet()).as("%s: the mapping covers every key", section.title())
                .containsExactlyInAnyOrderElementsOf(names);
        for (ConfigKey key : section.keys()) {
            assertThat(values.get(key.name())).as("%s differs from its default", key.name())
                    .isNotEqualTo(key.defaultValue());
        }
        assertThat(read(section, Map.of(), values)).as("%s from the file", section.title()).isEqualTo(expected);
        Map<String, String> env = new LinkedHashMap<>();
        section.keys().forEach(k -> env.put(k.env(), values.get(k.name())));
        assertThat(read(section, env, Map.of())).as("%s from the environment", section.title())
                .isEqualTo(expected);
    }

    static void assertEnvironment(ConfigSection<?> section, Map<String, String> keyToVariable) {
        Map<String, String> actual = new LinkedHashMap<>();
        section.keys().forEach(k -> actual.put(k.name(), k.env()));
        assertThat(actual).as("%s environment variables", section.title()).isEqualTo(keyToVariable);
    }

    /** Reads one section as {@code berth serve} would; fails on any problem. */
    static <T> T read(ConfigSection<T> section, Map<String, String> env, Map<String, String> keys) {
        List<String> problems = new ArrayList<>();
        ConfigValues values = new ConfigValues(ConfigLoader.merge(Optional.empty(), env, keys, problems), problems);
        T read = section.read(values);
        assertThat(values.problems()).as("problems reading %s", section.title()).isEmpty();
        return read;
    }

    /** The problems reading one section reports. */
    static List<String> problems(ConfigSection<?> section, Map<String, String> keys) {
        List<String> problems = new ArrayList<>();
        ConfigValues values = new ConfigValues(ConfigLoader.merge(Optional.empty(), Map.of(), keys, problems),
                problems);
        section.read(values);
        return values.problems();
    }
}
