package io.berth.core.kms;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.region.Regions;
import io.berth.core.spi.meta.KmsAliasRecord;
import io.berth.core.spi.meta.KmsKeyRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the key service's operations share: finding a key by any {@link KeyRef} form (a key whose deletion date has
 * passed is gone, as in KMS), authorizing a call on it, and its versions' material, opened from the master key's
 * seal. One instance per server, for every region it serves: keys, aliases and ARNs are per (account, region), as
 * in KMS, because every {@link RegistryId} here is a regional registry (the default region's being region-less).
 */
public final class Keys {
    private final MetadataStore store;
    private final KeyMaterialSeal seal;
    private final KeyAccess access;
    private final Clock clock;
    private final Regions regions;

    /** @param access null under {@code --insecure-no-auth} (every call allowed) */
    public Keys(MetadataStore store, KeyMaterialSeal seal, KeyAccess access, Clock clock, Regions regions) {
        this.store = store;
        this.seal = seal;
        this.access = access;
        this.clock = clock;
        this.regions = regions;
    }

    /**
     * A key and the account it belongs to, as the planes see it (the stored row stays behind {@link #key}, which
     * only this package reads).
     */
    public static final class Found {
        private final RegistryId account;
        private final KmsKeyRecord key;

        Found(RegistryId account, KmsKeyRecord key) {
            this.account = account;
            this.key = key;
        }

        KmsKeyRecord key() { return key; }

        public RegistryId account() { return account; }

        public String keyId() { return key.keyId(); }

        public String description() { return key.description(); }

        /** {@code CUSTOMER} or {@code AWS}. */
        public String keyManager() { return key.keyManager(); }

        /** {@code Enabled}, {@code Disabled} or {@code PendingDeletion}. */
        public String state() { return key.state(); }

        public boolean enabled() { return KmsKeyRecord.ENABLED.equals(key.state()); }

        public boolean pendingDeletion() { return KmsKeyRecord.PENDING_DELETION.equals(key.state()); }

        public Instant createdAt() { return key.createdAt(); }

        public Instant deletionAt() { return key.deletionAt(); }

        public int pendingWindowDays() { return key.pendingWindowDays(); }

        public boolean rotationEnabled() { return key.rotationEnabled(); }

        public int rotationPeriodDays() { return key.rotationPeriodDays(); }

        /** When automatic rotation next makes a version (meaningful when it is enabled). */
        public Instant nextRotation() { return key.rotatedAt().plus(java.time.Duration.ofDays(key.rotationPeriodDays())); }

        public String policy() { return key.policy(); }
    }

    /** An alias as the planes see it. */
    public record Alias(String name, String keyId, Instant createdAt, Instant updatedAt) {}

    MetadataStore store() { return store; }

    Clock clock() { return clock; }

    public Regions regions() { return regions; }

    /** The region name of a registry's keys: what their ARNs carry. */
    public String region(RegistryId registry) { return regions.nameOf(registry); }

    public String arn(Found f) { return KeyRef.keyArn(region(f.account()), f.account(), f.keyId()); }

    /** A reference as {@code registry}'s caller names it, resolved in the registry's region. */
    public KeyRef ref(String value, RegistryId registry) { return KeyRef.parse(value, registry, regions); }

    /** The key {@code ref} names; NotFoundException when there is none (or its deletion date passed). */
    public Found find(MetadataStore.Tx tx, KeyRef ref) {
        String keyId = ref.keyId();
        if (ref.isAlias()) {
            keyId = tx.kms().alias(ref.account(), ref.alias()).map(KmsAliasRecord::keyId).orElseThrow(() ->
                    new RegistryException(ErrorCode.KMS_NOT_FOUND, "Alias " + KeyRef.aliasArn(region(ref.account()),
                            ref.account(), ref.alias()) + " is not found."));
        }
        Optional<KmsKeyRecord> key = tx.kms().key(ref.account(), keyId).filter(k -> !gone(k));
        String id = keyId;
        return new Found(ref.account(), key.orElseThrow(() -> new RegistryException(ErrorCode.KMS_NOT_FOUND,
                "Key '" + KeyRef.keyArn(region(ref.account()), ref.account(), id) + "' does not exist")));
    }

    /** True once a key pending deletion has reached its deletion date: it is treated as deleted. */
    boolean gone(KmsKeyRecord k) {
        return KmsKeyRecord.PENDING_DELETION.equals(k.state()) && !k.deletionAt().isAfter(clock.instant());
    }

    /** Authorizes {@code action} on the key (its policy as the resource policy). */
    public void authorize(Principal caller, String action, Found f) {
        if (access != null) {
            access.require(caller, action, f.account(), arn(f), f.key().policy());
        }
    }

    /** Authorizes an account-level {@code action} (no key yet, or a listing). */
    public void authorize(Principal caller, String action, RegistryId account) {
        if (access != null) {
            access.require(caller, action, account, "*", null);
        }
    }

    /** Throws DisabledException or KMSInvalidStateException unless the key may be used for cryptography. */
    public void requireUsable(Found f) {
        String state = f.key().state();
        if (KmsKeyRecord.DISABLED.equals(state)) {
            throw new RegistryException(ErrorCode.KMS_DISABLED, arn(f) + " is disabled.");
        }
        if (KmsKeyRecord.PENDING_DELETION.equals(state)) {
            throw new RegistryException(ErrorCode.KMS_INVALID_STATE, arn(f) + " is pending deletion.");
        }
    }

    byte[] sealMaterial(RegistryId account, String keyId, int version, byte[] material) {
        return seal.seal(associatedData(account, keyId, version), material);
    }

    /** The plaintext material of one version of the key. */
    byte[] material(MetadataStore.Tx tx, Found f, int version) {
        byte[] sealed = tx.kms().material(f.account(), f.keyId(), version).orElseThrow(Ciphertext::invalid);
        return seal.open(associatedData(f.account(), f.keyId(), version), sealed);
    }

    Instant now() { return clock.instant(); }

    /** The registry's {@link RegistryId#key()}: unchanged for the default region, whose keys predate regions. */
    private static String associatedData(RegistryId account, String keyId, int version) {
        return account.key() + "/" + keyId + "/" + version;
    }
}
