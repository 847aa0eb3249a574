package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The key service's keys, their versions' sealed material and their aliases, per account. Material is stored only
 * as the caller sealed it (under the master key); the store never sees a plaintext key.
 */
public interface KmsStore {
    /** Inserts the key and its version 1; false when the ID exists already (a UUID collision). */
    boolean createKey(RegistryId account, KmsKeyRecord key, byte[] sealedMaterial);

    Optional<KmsKeyRecord> key(RegistryId account, String keyId);

    /** Keys by ID after {@code afterKeyId} (null: from the start). */
    List<KmsKeyRecord> keys(RegistryId account, String afterKeyId, int limit);

    /** Writes the mutable fields (state, deletion, rotation, policy, current version); false if it is gone. */
    boolean updateKey(RegistryId account, KmsKeyRecord key);

    /** Removes the key, its versions and its aliases (a key whose deletion date passed). */
    void deleteKey(RegistryId account, String keyId);

    /** Adds a version's sealed material (rotation); false when that version exists (a concurrent rotation). */
    boolean addVersion(RegistryId account, String keyId, int version, byte[] sealedMaterial, Instant at);

    Optional<byte[]> material(RegistryId account, String keyId, int version);

    /** False when the alias exists. */
    boolean createAlias(RegistryId account, KmsAliasRecord alias);

    Optional<KmsAliasRecord> alias(RegistryId account, String aliasName);

    /** Aliases by name after {@code afterName} (null: from the start), of one key when {@code keyId} is not null. */
    List<KmsAliasRecord> aliases(RegistryId account, String keyId, String afterName, int limit);

    boolean deleteAlias(RegistryId account, String aliasName);
}
