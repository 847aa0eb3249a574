package io.berth.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the section records: the same keys in the same order, each with its
 * environment variable and default, so the reference cannot drift from what {@code berth serve} reads.
 */
class ConfigReferenceTest {
    /** A row: key, environment, option, default, meaning; code spans unwrapped. */
    private static List<List<String>> readmeRows() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("| key |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
                    cells.add(cell.trim().replace("`", ""));
                }
                rows.add(cells);
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    @Test
    void readmeTable_listsEveryKey_withItsEnvironmentVariableAndDefault() throws IOException {
        Map<String, List<String>> documented = new LinkedHashMap<>();
        for (List<String> row : readmeRows()) {
            documented.put(row.get(0), List.of(row.get(1), row.get(3)));
        }
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (ConfigKey key : BerthConfig.keyList()) {
            declared.put(key.name(), List.of(key.env(), key.shownDefault()));
        }
        assertThat(documented).as("README key -> [environment, default]").containsExactlyEntriesOf(declared);
    }
}
