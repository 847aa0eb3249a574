package io.berth.scanner.vulndb.imports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats {@code berth vulndb import} reads, by their {@code --format} names. */
public enum Format {
    OSV("osv"),
    DEBIAN_LIST("debian-list"),
    DEBIAN_JSON("debian-json"),
    ALPINE_SECDB("alpine-secdb");

    private final String cliName;

    Format(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() { return cliName; }

    public static Format parse(String name) {
        for (Format f : values()) {
            if (f.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "': one of "
                + Arrays.stream(values()).map(Format::cliName).collect(Collectors.joining(", ")));
    }
}
