package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a secret's value, sealed (never stored in the clear).
 *
 * @param stage  {@code AWSCURRENT}, {@code AWSPREVIOUS}, or null for a version no label points at any more
 * @param binary true for a SecretBinary value, false for a SecretString
 * @param sealed the value encrypted with the secret's ARN and the version ID as associated data
 */
public record SecretVersionRecord(String arn, String versionId, String stage, boolean binary, byte[] sealed,
                                  Instant createdAt) {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PREVIOUS = "AWSPREVIOUS";

    public SecretVersionRecord {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
