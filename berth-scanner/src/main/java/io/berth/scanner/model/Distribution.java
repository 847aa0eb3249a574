package io.berth.scanner.model;

/**
 * The operating system an image is built on, from {@code etc/os-release}: {@code ID} (debian, ubuntu, alpine,
 * rocky…), {@code VERSION_ID} (11, 3.11.6…), {@code VERSION_CODENAME} (bullseye), {@code ID_LIKE} (rocky's
 * "rhel centos fedora"), {@code VERSION} (openEuler's "22.03 (LTS-SP3)") and {@code PRETTY_NAME} (openSUSE's
 * "openSUSE Leap 15.5"), each null when absent. Debian advisories are keyed by codename, Alpine's secdb by
 * major.minor, OSV's OS exports by "Debian:11", "Rocky Linux:9", "openSUSE:Leap 15.5" or "openEuler:22.03-LTS-SP3":
 * hence the fields beyond ID and VERSION_ID, which the RPM distributions need ({@code RpmDistributions}).
 */
public record Distribution(String id, String versionId, String codename, String idLike, String version,
                           String prettyName) {

    /** A distribution known by ID, VERSION_ID and codename only (Debian, Ubuntu, Alpine need no more). */
    public Distribution(String id, String versionId, String codename) {
        this(id, versionId, codename, null, null, null);
    }
}
