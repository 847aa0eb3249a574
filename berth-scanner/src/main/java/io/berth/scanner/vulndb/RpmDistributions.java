package io.berth.scanner.vulndb;

import io.berth.scanner.model.Distribution;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which OSV ecosystem, and which stored release, an RPM-based image's packages are looked up under. Every RPM
 * distribution publishes under its own OSV name with its own release key, and os-release says them differently:
 * <ul>
 *   <li>Rocky Linux ({@code ID=rocky}) and AlmaLinux ({@code ID=almalinux}) write "Rocky Linux:9", "AlmaLinux:8":
 *       the major of VERSION_ID ("9.3");</li>
 *   <li>Red Hat writes product CPEs ("Red Hat:enterprise_linux:9::appstream"), stored as their major: RHEL and
 *       CentOS, and what only says it is like them (ID_LIKE rhel, centos or fedora: Oracle Linux, Fedora), whose
 *       builds follow RHEL's;</li>
 *   <li>openSUSE and SUSE write the marketing name as os-release's PRETTY_NAME gives it, without the vendor word
 *       ("openSUSE:Leap 15.5", "SUSE:Linux Enterprise Server 15 SP5");</li>
 *   <li>Mageia writes VERSION_ID ("Mageia:9"), Photon OS VERSION_ID ("Photon OS:5.0");</li>
 *   <li>openEuler writes VERSION_ID and the parenthesised part of VERSION: "22.03 (LTS-SP3)" is
 *       "openEuler:22.03-LTS-SP3".</li>
 * </ul>
 * Every one of them orders versions by rpmvercmp ({@code VersionSchemes}). A distribution none of these names is
 * not matched at all, rather than against another distribution's data.
 */
public final class RpmDistributions {
    /** Where an image's RPM packages are looked up: OSV's ecosystem name and the release as stored. */
    public record OsvRelease(String ecosystem, String release) {}

    /** The OSV ecosystem names of the RPM distributions, as records spell them before any ":release". */
    public static final List<String> ECOSYSTEMS = List.of("Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "SUSE",
            "Mageia", "openEuler", "Photon OS");

    private RpmDistributions() {}

    /** Null when the image does not say which RPM distribution and release it is. */
    public static OsvRelease of(Distribution d) {
        if (d == null || d.id() == null) {
            return null;
        }
        String id = d.id().toLowerCase(Locale.ROOT);
        return switch (id) {
            case "rocky" -> major("Rocky Linux", d);
            case "almalinux" -> major("AlmaLinux", d);
            case "rhel", "centos" -> major("Red Hat", d);
            case "opensuse", "opensuse-leap", "opensuse-tumbleweed", "opensuse-slowroll", "opensuse-leap-micro" ->
                    marketing("openSUSE", d, id.equals("opensuse-tumbleweed") ? "Tumbleweed" : null);
            case "sles", "sled", "sles_sap", "sle-micro", "sl-micro" -> marketing("SUSE", d, null);
            case "mageia" -> exact("Mageia", d.versionId());
            case "photon" -> exact("Photon OS", d.versionId());
            case "openeuler" -> openEuler(d);
            default -> like(d);
        };
    }

    private static OsvRelease like(Distribution d) {
        List<String> like = d.idLike() == null ? List.of() : Arrays.asList(d.idLike().toLowerCase(Locale.ROOT)
                .split("\\s+"));
        if (like.contains("suse")) {
            return null; // a SUSE derivative's own products are not SUSE's: no data names them
        }
        if (like.contains("rhel") || like.contains("centos") || like.contains("fedora") || d.id().equals("fedora")) {
            return major("Red Hat", d);
        }
        return null;
    }

    private static OsvRelease major(String ecosystem, Distribution d) {
        String major = Releases.rpmMajor(d.versionId());
        return major == null ? null : new OsvRelease(ecosystem, major);
    }

    private static OsvRelease exact(String ecosystem, String versionId) {
        return versionId == null || versionId.isBlank() ? null : new OsvRelease(ecosystem, versionId.strip());
    }

    /** PRETTY_NAME less the vendor word; without one, NAME's rule as far as VERSION_ID allows. */
    private static OsvRelease marketing(String ecosystem, Distribution d, String fallback) {
        String pretty = d.prettyName() == null ? null : d.prettyName().strip();
        if (pretty != null && pretty.regionMatches(true, 0, ecosystem + " ", 0, ecosystem.length() + 1)) {
            return new OsvRelease(ecosystem, pretty.substring(ecosystem.length() + 1).strip());
        }
        if (fallback != null) {
            return new OsvRelease(ecosystem, fallback);
        }
        if (ecosystem.equals("openSUSE") && d.versionId() != null) {
            return new OsvRelease(ecosystem, "Leap " + d.versionId().strip());
        }
        return null;
    }

    private static OsvRelease openEuler(Distribution d) {
        if (d.versionId() == null || d.versionId().isBlank()) {
            return null;
        }
        String release = d.versionId().strip();
        String version = d.version() == null ? "" : d.version();
        int open = version.indexOf('(');
        int close = version.indexOf(')', open + 1);
        if (open >= 0 && close > open + 1) {
            release += "-" + version.substring(open + 1, close).strip().replace(' ', '-');
        }
        return new OsvRelease("openEuler", release);
    }
}
