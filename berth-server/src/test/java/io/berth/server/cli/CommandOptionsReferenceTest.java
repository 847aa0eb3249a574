package io.berth.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.config.ReadmeConfigTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's option column against the commands: each option it names is parsed by {@code serve} (or by
 * {@code gc} where the row says so) and sets that row's key.
 */
class CommandOptionsReferenceTest {
    private static Map<String, String> keysSetBy(String option, boolean gc) {
        List<String> args = new ArrayList<>();
        args.add(option);
        boolean flag = option.equals("--insecure-no-auth");
        if (!flag) {
            args.add("some-value");
        }
        Map<String, String> keys = new HashMap<>();
        if (gc) {
            GcCommand command = new GcCommand();
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
            keys.putAll(command.common.cliKeys());
            keys.putAll(command.keys());
        } else {
            ServeCommand command = new ServeCommand();
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
            keys.putAll(command.common.cliKeys());
            keys.putAll(command.keys());
        }
        keys.values().removeIf(v -> v == null);
        return keys;
    }

    @Test
    void everyDocumentedOption_setsItsKey() {
        int checked = 0;
        for (ReadmeConfigTable.Row row : ReadmeConfigTable.rows()) {
            if (!row.option().startsWith("--")) {
                continue; // file or environment only
            }
            String option = row.option().split(" ")[0];
            boolean gc = row.option().endsWith("(gc)");
            String expected = option.equals("--insecure-no-auth") ? "true" : "some-value";
            assertThat(keysSetBy(option, gc)).as("%s %s", gc ? "gc" : "serve", option)
                    .containsExactlyEntriesOf(Map.of(row.key(), expected));
            checked++;
        }
        assertThat(checked).as("options documented").isEqualTo(12);
    }
}
