package io.berth.scanner.version;

import java.util.Locale;
import java.util.Optional;

/** Which {@link VersionScheme} an OSV ecosystem name (before any {@code :release}) orders its versions by. */
public final class VersionSchemes {
    private VersionSchemes() {}

    /** Empty for an ecosystem Berth cannot compare (importers reject its records with that reason). */
    public static Optional<VersionScheme> forEcosystem(String osvEcosystem) {
        String base = osvEcosystem.contains(":") ? osvEcosystem.substring(0, osvEcosystem.indexOf(':'))
                : osvEcosystem;
        return Optional.ofNullable(switch (base.toLowerCase(Locale.ROOT)) {
            case "debian", "ubuntu" -> DpkgVersion.INSTANCE;
            case "alpine" -> ApkVersion.INSTANCE;
            case "red hat", "rocky linux", "almalinux", "suse", "opensuse", "mageia", "openeuler", "photon os" ->
                    RpmVersion.INSTANCE;
            case "maven" -> MavenVersion.INSTANCE;
            case "pypi" -> Pep440Version.INSTANCE;
            case "npm" -> SemverVersion.NPM;
            case "crates.io" -> SemverVersion.CRATES;
            case "go" -> SemverVersion.GO;
            case "nuget" -> SemverVersion.NUGET;
            default -> null;
        });
    }
}
