package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.IdentityStore.AccessKeyRecord;
import io.berth.core.spi.meta.IdentityStore.AccountRecord;
import io.berth.core.spi.meta.IdentityStore.Status;
import io.berth.core.spi.meta.IdentityStore.UserRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.server.crypto.SecretCipher;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accounts, IAM users and access keys over the {@link IdentityStore}: what {@code berth admin} and the start-up
 * bootstrap do, and the key lookup authentication needs. Plain secrets exist only in the {@link NewKey} returned at
 * creation (printed once) and transiently during verification; the store holds ciphertext.
 */
public final class Identities {
    /** IAM's user name rule. */
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    private final MetadataStore metadata;
    private final SecretCipher cipher;
    private final Clock clock;

    public Identities(MetadataStore metadata, SecretCipher cipher, Clock clock) {
        this.metadata = metadata;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** A key just created: the only time its secret is shown. {@code userName} is null for a root key. */
    public record NewKey(String accessKeyId, String secret, RegistryId account, String userName) {
        @Override
        public String toString() { return "NewKey[" + accessKeyId + ", account " + account + "]"; } // no secret
    }

    /** An active key with its owner and plain secret, for verification only. */
    public record ActiveKey(Principal principal, String secret) {
        @Override
        public String toString() { return "ActiveKey[" + principal.arn() + "]"; }
    }

    /** Creates the account if missing; true when it was created now. */
    public boolean ensureAccount(RegistryId account) {
        return metadata.write(tx -> tx.identities().createAccount(new AccountRecord(account, clock.instant())));
    }

    public List<AccountRecord> accounts() {
        return metadata.read(tx -> tx.identities().listAccounts());
    }

    public UserRecord createUser(RegistryId account, String name) {
        if (!USER_NAME.matcher(name).matches()) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "user name must match [\\w+=,.@-]{1,64}");
        }
        UserRecord user = new UserRecord(account, name, AccessKeys.newUserId(), Status.ACTIVE, clock.instant());
        boolean created = metadata.write(tx -> {
            tx.identities().createAccount(new AccountRecord(account, clock.instant()));
            return tx.identities().createUser(user);
        });
        if (!created) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, "user " + name + " already exists in account "
                    + account);
        }
        return user;
    }

    public List<UserRecord> users(RegistryId account) {
        return metadata.read(tx -> tx.identities().listUsers(account));
    }

    /** A new random key for the account's root ({@code userName} null) or one of its active users. */
    public NewKey createAccessKey(RegistryId account, String userName) {
        return createAccessKey(account, userName, AccessKeys.newAccessKeyId(), AccessKeys.newSecret());
    }

    /** A key with a given ID and secret (bootstrap from {@code BERTH_ROOT_ACCESS_KEY_ID}/...). */
    public NewKey createAccessKey(RegistryId account, String userName, String accessKeyId, String secret) {
        byte[] encrypted = cipher.encrypt(accessKeyId, secret);
        metadata.write(tx -> {
            IdentityStore ids = tx.identities();
            ids.createAccount(new AccountRecord(account, clock.instant()));
            if (userName != null) {
                UserRecord u = ids.getUser(account, userName).orElseThrow(() -> new RegistryException(
                        ErrorCode.INVALID_PARAMETER, "no user " + userName + " in account " + account));
                if (u.status() != Status.ACTIVE) {
                    throw new RegistryException(ErrorCode.INVALID_PARAMETER, "user " + userName + " is revoked");
                }
            }
            ids.createAccessKey(new AccessKeyRecord(accessKeyId, account, userName, encrypted, Status.ACTIVE,
                    clock.instant()));
            return null;
        });
        return new NewKey(accessKeyId, secret, account, userName);
    }

    public List<AccessKeyRecord> accessKeys(RegistryId account) {
        return metadata.read(tx -> tx.identities().listAccessKeys(account));
    }

    public Optional<AccessKeyRecord> accessKey(String accessKeyId) {
        return metadata.read(tx -> tx.identities().getAccessKey(accessKeyId));
    }

    public boolean revokeAccessKey(String accessKeyId) {
        return metadata.write(tx -> tx.identities().setAccessKeyStatus(accessKeyId, Status.REVOKED));
    }

    /** Revokes the user; its keys stop working with it. */
    public boolean revokeUser(RegistryId account, String name) {
        return metadata.write(tx -> tx.identities().setUserStatus(account, name, Status.REVOKED));
    }

    /** The key's owner and secret when the key and its user are active; empty otherwise (unknown, revoked). */
    public Optional<ActiveKey> activeKey(String accessKeyId) {
        return metadata.read(tx -> {
            Optional<AccessKeyRecord> key = tx.identities().getAccessKey(accessKeyId);
            if (key.isEmpty() || key.get().status() != Status.ACTIVE) {
                return Optional.<ActiveKey>empty();
            }
            AccessKeyRecord k = key.get();
            if (k.isRoot()) {
                return Optional.of(new ActiveKey(Principal.root(k.account(), k.accessKeyId()), decrypt(k)));
            }
            Optional<UserRecord> user = tx.identities().getUser(k.account(), k.userName());
            if (user.isEmpty() || user.get().status() != Status.ACTIVE) {
                return Optional.<ActiveKey>empty();
            }
            return Optional.of(new ActiveKey(Principal.user(k.account(), k.userName(), k.accessKeyId()), decrypt(k)));
        });
    }

    /**
     * Sets the active user's console password (stored as a {@link PasswordHash}); refuses a password IAM's default
     * policy would and an unknown or revoked user.
     */
    public void setConsolePassword(RegistryId account, String userName, char[] password) {
        String problem = PasswordHash.problem(password);
        if (problem != null) {
            throw new RegistryException(ErrorCode.INVALID_PARAMETER, problem);
        }
        String hash = PasswordHash.hash(password);
        metadata.write(tx -> {
            UserRecord u = tx.identities().getUser(account, userName).orElseThrow(() -> new RegistryException(
                    ErrorCode.INVALID_PARAMETER, "no user " + userName + " in account " + account));
            if (u.status() != Status.ACTIVE) {
                throw new RegistryException(ErrorCode.INVALID_PARAMETER, "user " + userName + " is revoked");
            }
            return tx.identities().setConsolePassword(account, userName, hash, clock.instant());
        });
    }

    /** False when the user had no console password. */
    public boolean deleteConsolePassword(RegistryId account, String userName) {
        return metadata.write(tx -> tx.identities().deleteConsolePassword(account, userName));
    }

    /**
     * The IAM user a console password signs in, when the user is active and the password matches its hash; empty
     * otherwise, after the same slow hash either way (so the time says nothing about whether the user exists).
     */
    public Optional<Principal> consoleUser(RegistryId account, String userName, char[] password) {
        Optional<String> stored = metadata.read(tx -> tx.identities().getUser(account, userName)
                .filter(u -> u.status() == Status.ACTIVE)
                .flatMap(u -> tx.identities().consolePassword(account, userName)));
        boolean matches = PasswordHash.verify(password, stored.orElse(null));
        return matches ? Optional.of(Principal.user(account, userName, null)) : Optional.empty();
    }

    /**
     * Whether {@code p} may still act: its access key and (for a user) the user are active; for a principal
     * without a key, its account exists. Unlike {@link #activeKey} it decrypts nothing.
     */
    public boolean isActive(Principal p) {
        return metadata.read(tx -> {
            IdentityStore ids = tx.identities();
            if (p.accessKeyId() == null) {
                return ids.listAccounts().stream().anyMatch(a -> a.id().equals(p.account()));
            }
            Optional<AccessKeyRecord> key = ids.getAccessKey(p.accessKeyId());
            if (key.isEmpty() || key.get().status() != Status.ACTIVE || !key.get().account().equals(p.account())) {
                return false;
            }
            return key.get().isRoot() || ids.getUser(p.account(), key.get().userName())
                    .filter(u -> u.status() == Status.ACTIVE).isPresent();
        });
    }

    /** This deployment's identifier (see {@link IdentityStore#deploymentId()}). */
    public String deploymentId() {
        return metadata.read(tx -> tx.identities().deploymentId());
    }

    /**
     * Checks the configured default region (the first of {@code regions}) against the one this database recorded
     * (recording it on the first start): the default region's registries are stored region-less, so a different
     * first region would silently hand them to another region. Throws IllegalStateException with what to do.
     */
    public void checkDefaultRegion(String configured) {
        String recorded = metadata.write(tx -> tx.identities().pinDefaultRegion(configured));
        if (!recorded.equals(configured)) {
            throw new IllegalStateException("this deployment's default region is " + recorded + " (the first of "
                    + "'regions' when its data was written) but the configuration lists " + configured + " first: "
                    + "list " + recorded + " first (the order of the other regions is free)");
        }
    }

    /** STS's UserId: the account ID for root, the user's unique {@code AIDA…} ID for an IAM user. */
    public String userIdOf(Principal p) {
        if (p.kind() != Principal.Kind.USER) {
            return p.account().value();
        }
        return metadata.read(tx -> tx.identities().getUser(p.account(), p.userName()))
                .map(UserRecord::userId).orElse(p.account().value());
    }

    private String decrypt(AccessKeyRecord k) {
        return cipher.decrypt(k.accessKeyId(), k.encryptedSecret());
    }
}
