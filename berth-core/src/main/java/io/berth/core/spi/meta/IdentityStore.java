package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accounts, their IAM users and the access keys of both. Secrets are stored only as ciphertext produced outside
 * the database (the key lives elsewhere), so this store never sees a plain secret. Nothing is deleted: revoking sets
 * {@link Status#REVOKED}, so an access key ID is never handed out twice and audit trails keep their meaning.
 */
public interface IdentityStore {

    enum Status { ACTIVE, REVOKED }

    /** An account (registry): a 12-digit ID. */
    record AccountRecord(RegistryId id, Instant createdAt) {}

    /** An IAM user; {@code userId} is AWS's unique ID ({@code AIDA…}) that STS reports as UserId. */
    record UserRecord(RegistryId account, String name, String userId, Status status, Instant createdAt) {}

    /**
     * An access key: {@code userName} null for the account's root. {@code encryptedSecret} is opaque to the store.
     */
    record AccessKeyRecord(String accessKeyId, RegistryId account, String userName, byte[] encryptedSecret,
                           Status status, Instant createdAt) {
        public boolean isRoot() { return userName == null; }
    }

    /** Creates the account; false when it already exists (idempotent, safe under races). */
    boolean createAccount(AccountRecord account);

    List<AccountRecord> listAccounts();

    /** Creates the user; false when the account already has a user of that name. The account must exist. */
    boolean createUser(UserRecord user);

    Optional<UserRecord> getUser(RegistryId account, String name);

    /** Users of the account in name order. */
    List<UserRecord> listUsers(RegistryId account);

    /** False when the user does not exist. */
    boolean setUserStatus(RegistryId account, String name, Status status);

    /** Inserts a new key; the ID must be new (a duplicate is a {@link MetadataException}). The owner must exist. */
    void createAccessKey(AccessKeyRecord key);

    Optional<AccessKeyRecord> getAccessKey(String accessKeyId);

    /** Keys of the account (root and users) in creation order, then by ID. */
    List<AccessKeyRecord> listAccessKeys(RegistryId account);

    /** False when the key does not exist. */
    boolean setAccessKeyStatus(String accessKeyId, Status status);

    /**
     * Sets (or replaces) the user's console password hash, an opaque slow salted hash made outside the store;
     * false when the account has no such user.
     */
    boolean setConsolePassword(RegistryId account, String userName, String passwordHash, Instant updatedAt);

    /** The user's console password hash; empty when it has none (it cannot sign in with a password). */
    Optional<String> consolePassword(RegistryId account, String userName);

    /** False when the user had no console password. */
    boolean deleteConsolePassword(RegistryId account, String userName);

    /**
     * This deployment's identifier: made once with the schema, the same for every node over this database, and
     * different for every other deployment. Registry tokens are bound to it.
     */
    String deploymentId();

    /**
     * Records {@code region} as the deployment's default region unless one is recorded already, and returns the
     * recorded one: the region whose registries are region-less (see {@link io.berth.core.model.RegistryId}).
     */
    String pinDefaultRegion(String region);
}
