package io.berth.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The README's configuration reference, row by row, for the tests that keep it true. */
public final class ReadmeConfigTable {
    /** One row, code spans unwrapped. */
    public record Row(String key, String env, String option, String shownDefault, String meaning) {}

    private ReadmeConfigTable() {}

    public static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("..", "README.md")); // tests run in the module's directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf("## Configuration");
        if (start < 0) {
            throw new AssertionError("README.md has no '## Configuration' section");
        }
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("| key |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] c = line.substring(1, line.length() - 1).split("\\|", -1);
                rows.add(new Row(cell(c[0]), cell(c[1]), cell(c[2]), cell(c[3]), cell(c[4])));
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    private static String cell(String s) { return s.trim().replace("`", ""); }
}
