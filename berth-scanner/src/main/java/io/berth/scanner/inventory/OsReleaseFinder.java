package io.berth.scanner.inventory;

import io.berth.scanner.model.Distribution;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code etc/os-release} (or {@code usr/lib/os-release}, which it usually links to): shell-style {@code KEY=value}
 * lines, values optionally quoted. os-release(5) says to ignore lines that do not parse, so this never fails.
 */
final class OsReleaseFinder {
    private OsReleaseFinder() {}

    static Distribution parse(byte[] bytes) {
        Map<String, String> values = new HashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            line = line.strip();
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) {
                continue;
            }
            values.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
        }
        String id = blankToNull(values.get("ID"));
        String codename = blankToNull(values.get("VERSION_CODENAME"));
        String idLike = blankToNull(values.get("ID_LIKE"));
        boolean debianLike = "debian".equalsIgnoreCase(id) || (idLike != null && idLike.toLowerCase(java.util.Locale.ROOT).contains("debian"));
        if (codename == null && debianLike) {
            // Debian 9 and older give the codename only in VERSION="9 (stretch)" (openEuler's "(LTS-SP3)" is none)
            String version = values.getOrDefault("VERSION", "");
            int open = version.indexOf('(');
            int close = version.indexOf(')', open + 1);
            if (open >= 0 && close > open) {
                codename = blankToNull(version.substring(open + 1, close).strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new Distribution(id == null ? null : id.toLowerCase(java.util.Locale.ROOT),
                blankToNull(values.get("VERSION_ID")), codename,
                idLike == null ? null : idLike.toLowerCase(java.util.Locale.ROOT), blankToNull(values.get("VERSION")),
                blankToNull(values.get("PRETTY_NAME")));
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
            return v.replace("\\\"", "\"").replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
