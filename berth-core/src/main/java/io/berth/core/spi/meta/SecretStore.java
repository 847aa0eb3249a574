package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.util.List;
import java.util.Optional;

/**
 * Secrets Manager secrets, unique by account and name, and their sealed value versions. Scheduled deletions are
 * rows with a {@code deletionDate}; what is past it is the caller's to purge ({@link #delete}).
 */
public interface SecretStore {

    Optional<SecretRecord> get(RegistryId account, String name);

    Optional<SecretRecord> byArn(String arn);

    /** False (and nothing changes) when the account has a secret of that name already. */
    boolean create(SecretRecord secret);

    /** Writes the mutable fields (description, key, times, deletion) of the secret with {@code secret.arn()}. */
    void update(SecretRecord secret);

    /** Removes the secret and all its versions; false when there was none. */
    boolean delete(String arn);

    /** Secrets in name order (byte order) after {@code afterName} when given, at most {@code limit}. */
    List<SecretRecord> list(RegistryId account, String afterName, int limit, boolean includeDeleted);

    /** The versions, newest first. */
    List<SecretVersionRecord> versions(String arn);

    Optional<SecretVersionRecord> version(String arn, String versionId);

    /**
     * Adds {@code version} as the secret's {@code AWSCURRENT}: the current one becomes {@code AWSPREVIOUS} and the
     * previous one loses its label and is dropped (Berth keeps the two labelled versions only).
     */
    void addCurrent(SecretVersionRecord version);
}
