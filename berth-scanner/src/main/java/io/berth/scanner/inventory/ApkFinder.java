package io.berth.scanner.inventory;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.ScanFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * apk's database {@code lib/apk/db/installed}: stanzas of one-letter fields ({@code P:} name, {@code V:} version,
 * {@code o:} origin, the source package Alpine's secdb names), split by blank lines.
 */
final class ApkFinder {
    private ApkFinder() {}

    static List<InstalledPackage> parse(byte[] bytes, String path) throws ScanFailure {
        List<InstalledPackage> out = new ArrayList<>();
        String name = null;
        String version = null;
        String origin = null;
        int start = 0;
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String line = i == lines.length ? "" : lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (name != null || version != null) {
                    if (!ControlStanzas.isToken(name) || !ControlStanzas.isToken(version)) {
                        throw ControlStanzas.malformed(path, start, "a package needs a one-word P: and V:");
                    }
                    out.add(new InstalledPackage(Ecosystem.ALPINE, name, version, origin, path));
                }
                name = version = origin = null;
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                throw ControlStanzas.malformed(path, i + 1, "not an apk \"X:value\" line");
            }
            if (name == null && version == null) {
                start = i + 1;
            }
            String value = line.substring(2);
            switch (line.charAt(0)) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'o' -> origin = value;
                default -> { }
            }
        }
        return out;
    }
}
