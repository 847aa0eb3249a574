package io.berth.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the section records: the same keys in the same order, each with its
 * environment variable and default, so the reference cannot drift from what {@code berth serve} reads.
 */
class ConfigReferenceTest {
    @Test
    void readmeTable_listsEveryKey_withItsEnvironmentVariableAndDefault() {
        Map<String, List<String>> documented = new LinkedHashMap<>();
        for (ReadmeConfigTable.Row row : ReadmeConfigTable.rows()) {
            documented.put(row.key(), List.of(row.env(), row.shownDefault()));
        }
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (ConfigKey key : BerthConfig.keyList()) {
            declared.put(key.name(), List.of(key.env(), key.shownDefault()));
        }
        assertThat(documented).as("README key -> [environment, default]").containsExactlyEntriesOf(declared);
    }
}
