package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.Objects;

/**
 * One key of the key service, as stored. The key material is not here: each version's material is a row of its
 * own, sealed under the master key ({@link KmsStore#material}).
 *
 * @param keyId              the key's UUID
 * @param keyManager         {@code CUSTOMER}, or {@code AWS} for the account's {@code alias/aws/ecr} key
 * @param state              {@code Enabled}, {@code Disabled} or {@code PendingDeletion} (KMS's KeyState names)
 * @param deletionAt         when a key pending deletion goes; {@link Instant#EPOCH} when it is not pending
 * @param pendingWindowDays  the window it was scheduled with; 0 when it is not pending
 * @param rotationPeriodDays the automatic rotation period; meaningful only when {@code rotationEnabled}
 * @param rotatedAt          when the current version was made (creation or the last rotation)
 * @param currentVersion     the version Encrypt uses; older versions stay for Decrypt
 */
public record KmsKeyRecord(String keyId, String description, String keyManager, String state, Instant createdAt,
                           Instant deletionAt, int pendingWindowDays, boolean rotationEnabled, int rotationPeriodDays,
                           Instant rotatedAt, int currentVersion, String policy) {
    public static final String ENABLED = "Enabled";
    public static final String DISABLED = "Disabled";
    public static final String PENDING_DELETION = "PendingDeletion";

    public KmsKeyRecord {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(keyManager, "keyManager");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deletionAt, "deletionAt");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(policy, "policy");
    }

    public KmsKeyRecord withState(String newState, Instant newDeletionAt, int newWindowDays) {
        return new KmsKeyRecord(keyId, description, keyManager, newState, createdAt, newDeletionAt, newWindowDays,
                rotationEnabled, rotationPeriodDays, rotatedAt, currentVersion, policy);
    }

    public KmsKeyRecord withRotation(boolean enabled, int periodDays) {
        return new KmsKeyRecord(keyId, description, keyManager, state, createdAt, deletionAt, pendingWindowDays,
                enabled, periodDays, rotatedAt, currentVersion, policy);
    }

    public KmsKeyRecord withPolicy(String newPolicy) {
        return new KmsKeyRecord(keyId, description, keyManager, state, createdAt, deletionAt, pendingWindowDays,
                rotationEnabled, rotationPeriodDays, rotatedAt, currentVersion, newPolicy);
    }

    public KmsKeyRecord rotated(int version, Instant at) {
        return new KmsKeyRecord(keyId, description, keyManager, state, createdAt, deletionAt, pendingWindowDays,
                rotationEnabled, rotationPeriodDays, at, version, policy);
    }
}
