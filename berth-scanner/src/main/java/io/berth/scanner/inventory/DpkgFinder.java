package io.berth.scanner.inventory;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.ScanFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * dpkg's database: {@code var/lib/dpkg/status}, one stanza per package, and distroless's
 * {@code var/lib/dpkg/status.d/<package>} files (one stanza each, usually without a Status field). Only installed
 * packages count. {@code Source:} names the source package, with its version in parentheses when a binNMU gave
 * the binary another one ({@code Source: bash (5.2.15-2)} for {@code Version: 5.2.15-2+b8}).
 */
final class DpkgFinder {
    private DpkgFinder() {}

    static List<InstalledPackage> parse(byte[] bytes, String path, Ecosystem ecosystem) throws ScanFailure {
        List<InstalledPackage> out = new ArrayList<>();
        for (ControlStanzas.Stanza s : ControlStanzas.parse(bytes, path, false)) {
            String status = s.get("Status");
            if (status != null && !isInstalled(status)) {
                continue;   // removed, config-files only, half-installed: nothing of it runs
            }
            String name = s.get("Package");
            String version = s.get("Version");
            if (!ControlStanzas.isToken(name) || !ControlStanzas.isToken(version)) {
                throw ControlStanzas.malformed(path, s.line(), "a package stanza needs a one-word Package and Version");
            }
            String sourceName = name;
            String sourceVersion = version;
            String source = s.get("Source");
            if (source != null) {
                int open = source.indexOf('(');
                if (open < 0) {
                    sourceName = source;
                } else {
                    int close = source.indexOf(')', open);
                    if (close != source.length() - 1) {
                        throw ControlStanzas.malformed(path, s.line(), "Source is not \"name (version)\"");
                    }
                    sourceName = source.substring(0, open).strip();
                    sourceVersion = source.substring(open + 1, close).strip();
                }
                if (!ControlStanzas.isToken(sourceName) || !ControlStanzas.isToken(sourceVersion)) {
                    throw ControlStanzas.malformed(path, s.line(), "Source is not \"name\" or \"name (version)\"");
                }
            }
            out.add(new InstalledPackage(ecosystem, name, version, sourceName, path, sourceVersion));
        }
        return out;
    }

    /** "want flag status": the third word is the state, and only "installed" is. */
    private static boolean isInstalled(String status) {
        String[] words = status.trim().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }
}
