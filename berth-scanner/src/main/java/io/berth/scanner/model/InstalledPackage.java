package io.berth.scanner.model;

import java.util.Objects;

/**
 * One package found in an image's final filesystem.
 *
 * @param ecosystem     how its versions compare and which records apply
 * @param name          the package name as its ecosystem spells it (Maven: {@code groupId:artifactId}; Go: the module
 *                      path; dpkg/apk/rpm: the binary package name)
 * @param version       the installed version, exactly as recorded (dpkg: with epoch and revision)
 * @param sourceName    the source package for OS packages whose advisories name the source (dpkg {@code Source:},
 *                      apk origin, rpm source rpm name), else the same as {@code name}
 * @param path          the file in the image it was read from, for findings and the SBOM
 * @param sourceVersion the source package's version when it differs from the binary's, as dpkg records it in
 *                      {@code Source: name (version)} for binNMUs ({@code 5.2.15-2+b8} built from {@code 5.2.15-2}):
 *                      Debian's advisories name source versions. Else the same as {@code version}
 */
public record InstalledPackage(Ecosystem ecosystem, String name, String version, String sourceName, String path,
                               String sourceVersion) {
    public InstalledPackage {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        sourceName = sourceName == null || sourceName.isEmpty() ? name : sourceName;
        Objects.requireNonNull(path, "path");
        sourceVersion = sourceVersion == null || sourceVersion.isEmpty() ? version : sourceVersion;
    }

    /** A package whose source version is its own version (every ecosystem but dpkg's binNMUs). */
    public InstalledPackage(Ecosystem ecosystem, String name, String version, String sourceName, String path) {
        this(ecosystem, name, version, sourceName, path, null);
    }
}
