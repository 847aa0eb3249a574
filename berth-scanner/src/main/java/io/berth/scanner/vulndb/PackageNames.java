package io.berth.scanner.vulndb;

import java.util.Locale;

/** The one spelling records and inventory meet on: PyPI names are PEP 503-normalised; every other as written. */
public final class PackageNames {
    private PackageNames() {}

    public static String normalize(String ecosystem, String name) {
        if ("PyPI".equals(ecosystem)) {
            return name.strip().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
        }
        return name.strip();
    }
}
