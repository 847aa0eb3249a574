package io.berth.scanner.vulndb;

import java.util.Locale;
import java.util.Map;

/**
 * Distribution releases as the data names them. Debian advisories (the DSA/DLA lists, the tracker) use codenames and
 * OSV's Debian export uses numbers ("Debian:11"), so both are stored as the codename; an image's os-release gives
 * VERSION_CODENAME, or only VERSION_ID. Alpine's secdb says "v3.11", OSV "Alpine:v3.11", os-release "3.11.6": all
 * are stored and matched as major.minor. Ubuntu is its VERSION_ID ("22.04"), which OSV writes "Ubuntu:22.04:LTS"
 * or "Ubuntu:Pro:18.04:LTS". The RPM distributions publish per major release ("Rocky Linux:9", "AlmaLinux:8",
 * "Red Hat:enterprise_linux:9::appstream") while os-release says "9.3": stored and matched as the major number;
 * the others by their own names ("openSUSE:Leap 15.5", "Mageia:9", "openEuler:22.03-LTS-SP3"), stored as written
 * ({@link RpmDistributions} derives the same from os-release).
 */
public final class Releases {
    private static final Map<String, String> DEBIAN = Map.ofEntries(
            Map.entry("3.0", "woody"), Map.entry("3.1", "sarge"), Map.entry("4", "etch"), Map.entry("5", "lenny"),
            Map.entry("6", "squeeze"), Map.entry("7", "wheezy"), Map.entry("8", "jessie"), Map.entry("9", "stretch"),
            Map.entry("10", "buster"), Map.entry("11", "bullseye"), Map.entry("12", "bookworm"),
            Map.entry("13", "trixie"), Map.entry("14", "forky"));

    private Releases() {}

    /** "11", "11.7" or "bullseye" → "bullseye"; null when the number is not a known release. */
    public static String debianCodename(String versionOrCodename) {
        if (versionOrCodename == null || versionOrCodename.isBlank()) {
            return null;
        }
        String v = versionOrCodename.strip().toLowerCase(Locale.ROOT);
        if (!Character.isDigit(v.charAt(0))) {
            return v;
        }
        String exact = DEBIAN.get(v);
        if (exact != null) {
            return exact;
        }
        int dot = v.indexOf('.');
        return dot > 0 ? DEBIAN.get(v.substring(0, dot)) : null; // 11.7 is a point release of 11
    }

    /** "v3.11", "3.11.6" → "3.11"; "edge" stays. */
    public static String alpineBranch(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        String v = version.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("v")) {
            v = v.substring(1);
        }
        String[] parts = v.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : v;
    }

    /** "22.04", "Pro:22.04:LTS", "22.04:LTS" → "22.04". */
    public static String ubuntuRelease(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        for (String part : version.strip().split(":")) {
            if (!part.isEmpty() && Character.isDigit(part.charAt(0))) {
                return part;
            }
        }
        return version.strip();
    }

    /** "9.3", "9", "enterprise_linux:9::appstream", "el8" → the major release ("9", "8"); null without a number. */
    public static String rpmMajor(String version) {
        if (version == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)").matcher(version);
        return m.find() ? m.group(1) : null;
    }

    /** The stored release of an OSV ecosystem's suffix ("Debian:11" → bullseye, "Alpine:v3.11" → 3.11). */
    public static String ofOsv(String base, String suffix) {
        if (suffix == null || suffix.isEmpty()) {
            return "";
        }
        return switch (base) {
            case "Debian" -> {
                String c = debianCodename(suffix);
                yield c == null ? suffix : c;
            }
            case "Alpine" -> alpineBranch(suffix);
            case "Ubuntu" -> ubuntuRelease(suffix);
            case "Red Hat", "Rocky Linux", "AlmaLinux" -> {
                String major = rpmMajor(suffix);
                yield major == null ? suffix : major;
            }
            default -> suffix;
        };
    }
}
