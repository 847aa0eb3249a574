package io.berth.scanner.model;

/**
 * The operating system an image is built on, from {@code etc/os-release}: {@code ID} (debian, ubuntu, alpine,
 * rhel…), {@code VERSION_ID} (11, 3.11.6…) and {@code VERSION_CODENAME} (bullseye), each null when absent.
 * Debian advisories are keyed by codename, Alpine's secdb by major.minor, OSV's OS exports by "Debian:11".
 */
public record Distribution(String id, String versionId, String codename) {}
