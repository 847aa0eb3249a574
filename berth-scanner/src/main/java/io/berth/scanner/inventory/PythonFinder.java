package io.berth.scanner.inventory;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.ScanFailure;
import java.util.List;

/**
 * Installed Python distributions: {@code *.dist-info/METADATA} (wheels, pip) and {@code *.egg-info/PKG-INFO} or a
 * {@code *.egg-info} file (setuptools, Debian's python3-* packages). Both are email-style headers (core metadata
 * spec); only the block before the first blank line is read, the rest is the long description.
 */
final class PythonFinder {
    private PythonFinder() {}

    static boolean isMetadataPath(String path) {
        return path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO") || path.endsWith(".egg-info");
    }

    static List<InstalledPackage> parse(byte[] bytes, String path) throws ScanFailure {
        List<ControlStanzas.Stanza> headers = ControlStanzas.parse(bytes, path, true);
        if (headers.isEmpty()) {
            throw ControlStanzas.malformed(path, 1, "no metadata headers");
        }
        String name = headers.get(0).get("Name");
        String version = headers.get(0).get("Version");
        if (!ControlStanzas.isToken(name) || !ControlStanzas.isToken(version)) {
            throw ControlStanzas.malformed(path, headers.get(0).line(), "metadata needs a one-word Name and Version");
        }
        return List.of(new InstalledPackage(Ecosystem.PYPI, name, version, null, path));
    }
}
