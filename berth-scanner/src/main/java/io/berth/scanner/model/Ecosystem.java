package io.berth.scanner.model;

/**
 * Where a package comes from, which decides how its versions compare and which vulnerability records can name it.
 * The OSV ecosystem names are OSV's own ("Debian", "Alpine", "Maven", "PyPI", "npm", "Go", "crates.io", "NuGet"),
 * so records and inventory meet on one spelling.
 */
public enum Ecosystem {
    DEBIAN("Debian", "deb"),
    UBUNTU("Ubuntu", "deb"),
    ALPINE("Alpine", "apk"),
    RPM("Red Hat", "rpm"),
    MAVEN("Maven", "maven"),
    PYPI("PyPI", "pypi"),
    NPM("npm", "npm"),
    GO("Go", "golang"),
    CRATES("crates.io", "cargo"),
    NUGET("NuGet", "nuget");

    private final String osvName;
    private final String purlType;

    Ecosystem(String osvName, String purlType) {
        this.osvName = osvName;
        this.purlType = purlType;
    }

    /** The ecosystem's name in OSV records (before any ":release" suffix, as in "Debian:11"). */
    public String osvName() { return osvName; }

    /** The package-URL type ({@code pkg:<type>/…}). */
    public String purlType() { return purlType; }

    /** Whether the package belongs to the operating system (matched per distribution release). */
    public boolean isOsPackage() { return this == DEBIAN || this == UBUNTU || this == ALPINE || this == RPM; }
}
