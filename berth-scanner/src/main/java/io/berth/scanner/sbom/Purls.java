package io.berth.scanner.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.InstalledPackage;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The package URL of each inventory entry, by the purl spec's rules per type (encoding by packageurl-java): OS
 * packages carry their distribution as namespace and a {@code distro} qualifier ({@code pkg:deb/debian/zlib1g@1:1.2.11.dfsg-2?distro=debian-11}),
 * Maven splits group and artifact, npm scopes become the namespace, PyPI names are normalised, Go module paths split
 * at the last slash, rpm's epoch moves to the {@code epoch} qualifier.
 */
public final class Purls {
    private Purls() {}

    public static String of(InstalledPackage p, Distribution d) {
        String namespace = null;
        String name = p.name();
        String version = p.version();
        TreeMap<String, String> qualifiers = new TreeMap<>();
        switch (p.ecosystem()) {
            case DEBIAN, UBUNTU, ALPINE, RPM -> {
                String id = d != null && d.id() != null ? d.id() : defaultNamespace(p);
                namespace = id;
                if (d != null && d.versionId() != null) {
                    qualifiers.put("distro", p.ecosystem() == io.berth.scanner.model.Ecosystem.ALPINE
                            ? d.versionId() : id + "-" + d.versionId());
                }
                if (p.ecosystem() == io.berth.scanner.model.Ecosystem.RPM) {
                    int colon = version.indexOf(':');
                    if (colon > 0) {
                        qualifiers.put("epoch", version.substring(0, colon));
                        version = version.substring(colon + 1);
                    }
                }
            }
            case MAVEN -> {
                int colon = name.indexOf(':');
                if (colon > 0) {
                    namespace = name.substring(0, colon);
                    name = name.substring(colon + 1);
                }
            }
            case NPM -> {
                int slash = name.indexOf('/');
                if (name.startsWith("@") && slash > 0) {
                    namespace = name.substring(0, slash);
                    name = name.substring(slash + 1);
                }
            }
            case PYPI -> name = name.toLowerCase(Locale.ROOT).replace('_', '-');
            case GO -> {
                int slash = name.lastIndexOf('/');
                if (slash > 0) {
                    namespace = name.substring(0, slash);
                    name = name.substring(slash + 1);
                }
            }
            default -> { }
        }
        try {
            return new PackageURL(p.ecosystem().purlType(), namespace, name, version,
                    qualifiers.isEmpty() ? null : qualifiers, null).canonicalize();
        } catch (MalformedPackageURLException e) {
            // the finders admit only one-word names and versions, so this is a name purl's grammar refuses
            // (a namespace segment that is empty): keep the package in the SBOM under a generic purl
            try {
                return new PackageURL("generic", null, p.name().replace('/', '_'), p.version(), null, null)
                        .canonicalize();
            } catch (MalformedPackageURLException again) {
                throw new IllegalStateException("no purl for " + p, again);
            }
        }
    }

    private static String defaultNamespace(InstalledPackage p) {
        return switch (p.ecosystem()) {
            case UBUNTU -> "ubuntu";
            case ALPINE -> "alpine";
            case RPM -> "redhat";
            default -> "debian";
        };
    }
}
