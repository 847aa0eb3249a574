package io.berth.scanner;

import io.berth.scanner.match.Finding;
import io.berth.scanner.model.Ecosystem;

/** The matcher's findings in the registry's neutral form (ECR's two finding shapes are drawn from it). */
final class Findings {
    private Findings() {}

    static io.berth.core.scanning.Finding toCore(Finding f) {
        String vector = f.cvssVector();
        String version = vector == null ? null : vector.startsWith("CVSS:") ? vector.substring(5,
                vector.indexOf('/') > 0 ? vector.indexOf('/') : vector.length()) : "2.0";
        return new io.berth.core.scanning.Finding(f.vulnerabilityId(), f.summary(), f.summary(), uri(f),
                f.severity().name(), f.cvssScore(), vector, version, f.pkg().name(), f.pkg().version(),
                packageManager(f.pkg().ecosystem()), f.fixedVersion(), f.source(), null, f.references(),
                f.pkg().path(), null, null);
    }

    /** Where a person reads about the vulnerability: the advisory's own page by its ID's scheme. */
    static String uri(Finding f) {
        String id = f.vulnerabilityId();
        if (id.startsWith("CVE-")) {
            return "https://nvd.nist.gov/vuln/detail/" + id;
        }
        if (id.startsWith("DSA-") || id.startsWith("DLA-")) {
            return "https://security-tracker.debian.org/tracker/" + id;
        }
        if (id.startsWith("GHSA-")) {
            return "https://github.com/advisories/" + id;
        }
        if (id.startsWith("GO-")) {
            return "https://pkg.go.dev/vuln/" + id;
        }
        if (id.startsWith("PYSEC-")) {
            return "https://osv.dev/vulnerability/" + id;
        }
        return f.references().isEmpty() ? "https://osv.dev/vulnerability/" + id : f.references().get(0);
    }

    /** Inspector's packageManager names, which ENHANCED findings carry. */
    static String packageManager(Ecosystem e) {
        return switch (e) {
            case DEBIAN, UBUNTU, ALPINE, RPM -> "OS";
            case MAVEN -> "JAR";
            case PYPI -> "PYTHONPKG";
            case NPM -> "NODEPKG";
            case GO -> "GOBINARY";
            case CRATES -> "CARGO";
            case NUGET -> "NUGET";
        };
    }
}
