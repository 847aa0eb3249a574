package io.berth.scanner.result;

/**
 * Why a scan failed, as a code the scan record keeps beside its human-readable message (ECR shows only
 * {@code FAILED} and a description; the code lets Berth count and test failures without parsing text).
 */
public enum FailureReason {
    /** A layer or manifest blob could not be read from the store. */
    BLOB_UNAVAILABLE,
    /** A layer's bytes do not hash to the digest (or size) its manifest declares. */
    DIGEST_MISMATCH,
    /** A layer is not a readable tar: truncated or corrupt gzip, zstd or tar data. */
    CORRUPT_LAYER,
    /** A bound the walker keeps was exceeded: entry size, uncompressed bytes, entry count, path depth or length. */
    LIMIT_EXCEEDED,
    /** An entry path that climbs out of the root ({@code ..}) or is written through a symlink. */
    UNSAFE_PATH,
    /** A hard link to itself, or a symlink chain that does not end. */
    LINK_LOOP,
    /** A package database or metadata file that is not in its format (dpkg status, METADATA, apk, rpm…). */
    MALFORMED_PACKAGE_DATA,
    /** The image manifest itself cannot be understood. */
    MALFORMED_MANIFEST
}
