package io.berth.core.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.PolicyKind;
import io.berth.core.policy.PolicyParser;
import io.berth.core.spi.meta.KmsAliasRecord;
import io.berth.core.spi.meta.KmsKeyRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The key service's management operations, as KMS defines them: keys (create, describe, list, enable, disable,
 * schedule and cancel deletion), automatic and on-demand rotation, key policies and aliases. Each authorizes
 * {@code kms:<Operation>} through {@link Keys#authorize} before it touches the key. Cryptography is
 * {@link KeyCrypto}'s.
 */
public final class KeyService {
    /** KMS's default window and its bounds, in days. */
    public static final int DEFAULT_DELETION_WINDOW = 30;
    public static final int DEFAULT_ROTATION_PERIOD = 365;
    /** The AWS-managed key ECR uses for KMS repositories without a kmsKey. */
    public static final String ECR_MANAGED_ALIAS = "alias/aws/ecr";
    static final int MAX_POLICY = 32_768;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Keys keys;
    private final PolicyParser policies = new PolicyParser(PolicyKind.KEY, "Policy", MAX_POLICY);

    public KeyService(Keys keys) {
        this.keys = keys;
    }

    public Keys keys() { return keys; }

    /** KMS's default key policy: the account (and through it, IAM policies) may do everything with the key. */
    public static String defaultPolicy(RegistryId account) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" + account.value() + ":root\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    /** CreateKey: a symmetric ENCRYPT_DECRYPT key with fresh material, under {@code policy} or the default. */
    public Keys.Found create(KeyCaller caller, String description, String policy) {
        RegistryId account = caller.registry();
        keys.authorize(caller.principal(), "kms:CreateKey", account);
        String text = policy == null ? defaultPolicy(account) : validPolicy(policy);
        return keys.store().write(tx -> insert(tx, account, description == null ? "" : description, "CUSTOMER",
                text));
    }

    /**
     * The account's AWS-managed key for ECR ({@code alias/aws/ecr}), created on first use as ECR does; for the
     * registry's own use, so not authorized against a caller.
     */
    public Keys.Found managedEcrKey(RegistryId account) {
        KeyRef ref = new KeyRef(account, null, ECR_MANAGED_ALIAS);
        return keys.store().write(tx -> {
            if (tx.kms().alias(account, ECR_MANAGED_ALIAS).isPresent()) {
                return keys.find(tx, ref);
            }
            Keys.Found f = insert(tx, account, "Default key that protects my ECR data when no other key is defined",
                    "AWS", defaultPolicy(account));
            Instant now = keys.now();
            tx.kms().createAlias(account, new KmsAliasRecord(ECR_MANAGED_ALIAS, f.keyId(), now, now));
            return f;
        });
    }

    private Keys.Found insert(MetadataStore.Tx tx, RegistryId account, String description, String manager,
                              String policy) {
        Instant now = keys.now();
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        String id = UUID.randomUUID().toString();
        // AWS-managed keys rotate every year, always; customer keys only when asked
        boolean managed = "AWS".equals(manager);
        KmsKeyRecord k = new KmsKeyRecord(id, description, manager, KmsKeyRecord.ENABLED, now, Instant.EPOCH, 0,
                managed, DEFAULT_ROTATION_PERIOD, now, 1, policy);
        if (!tx.kms().createKey(account, k, keys.sealMaterial(account, id, 1, material))) {
            throw new IllegalStateException("key ID " + id + " exists already");
        }
        return new Keys.Found(account, k);
    }

    public Keys.Found describe(KeyCaller caller, String keyId) {
        return keys.store().read(tx -> authorized(tx, caller, "kms:DescribeKey", keyId));
    }

    /** ListKeys: a page of the caller's keys after {@code marker} (a key ID this listing handed out). */
    public List<Keys.Found> list(KeyCaller caller, String marker, int limit) {
        keys.authorize(caller.principal(), "kms:ListKeys", caller.registry());
        String after = marker(marker, KeyRef.UUID);
        return keys.store().read(tx -> tx.kms().keys(caller.registry(), after, limit + 1)).stream()
                .filter(k -> !keys.gone(k)).map(k -> new Keys.Found(caller.registry(), k)).toList();
    }

    public Keys.Found enable(KeyCaller caller, String keyId) {
        return change(caller, "kms:EnableKey", keyId, f -> {
            requireNotPending(f);
            return f.key().withState(KmsKeyRecord.ENABLED, Instant.EPOCH, 0);
        });
    }

    public Keys.Found disable(KeyCaller caller, String keyId) {
        return change(caller, "kms:DisableKey", keyId, f -> {
            requireNotPending(f);
            return f.key().withState(KmsKeyRecord.DISABLED, Instant.EPOCH, 0);
        });
    }

    /** ScheduleKeyDeletion: 7 to 30 days, 30 by default; the key is unusable from now on. */
    public Keys.Found scheduleDeletion(KeyCaller caller, String keyId, Integer windowDays) {
        int days = between("pendingWindowInDays", windowDays == null ? DEFAULT_DELETION_WINDOW : windowDays, 7, 30);
        return change(caller, "kms:ScheduleKeyDeletion", keyId, f -> {
            requireNotPending(f);
            return f.key().withState(KmsKeyRecord.PENDING_DELETION, keys.now().plus(Duration.ofDays(days)), days);
        });
    }

    /** CancelKeyDeletion: the key comes back disabled, as in KMS. */
    public Keys.Found cancelDeletion(KeyCaller caller, String keyId) {
        return change(caller, "kms:CancelKeyDeletion", keyId, f -> {
            if (!KmsKeyRecord.PENDING_DELETION.equals(f.key().state())) {
                throw new RegistryException(ErrorCode.KMS_INVALID_STATE, keys.arn(f) + " is not pending deletion.");
            }
            return f.key().withState(KmsKeyRecord.DISABLED, Instant.EPOCH, 0);
        });
    }

    /** EnableKeyRotation: 90 to 2560 days, 365 by default. */
    public Keys.Found enableRotation(KeyCaller caller, String keyId, Integer periodDays) {
        int days = between("rotationPeriodInDays", periodDays == null ? DEFAULT_ROTATION_PERIOD : periodDays, 90,
                2560);
        return change(caller, "kms:EnableKeyRotation", keyId, f -> {
            keys.requireUsable(f);
            return f.key().withRotation(true, days);
        });
    }

    public Keys.Found disableRotation(KeyCaller caller, String keyId) {
        return change(caller, "kms:DisableKeyRotation", keyId, f -> {
            keys.requireUsable(f);
            return f.key().withRotation(false, f.key().rotationPeriodDays());
        });
    }

    public Keys.Found rotationStatus(KeyCaller caller, String keyId) {
        return keys.store().read(tx -> authorized(tx, caller, "kms:GetKeyRotationStatus", keyId));
    }

    /** RotateKeyOnDemand: a new version of the material now; older versions still decrypt. */
    public Keys.Found rotateNow(KeyCaller caller, String keyId) {
        return keys.store().write(tx -> {
            Keys.Found f = authorized(tx, caller, "kms:RotateKeyOnDemand", keyId);
            keys.requireUsable(f);
            return KeyCrypto.rotate(keys, tx, f);
        });
    }

    public Keys.Found policy(KeyCaller caller, String keyId, String policyName) {
        requireDefaultPolicyName(policyName);
        return keys.store().read(tx -> authorized(tx, caller, "kms:GetKeyPolicy", keyId));
    }

    public Keys.Found putPolicy(KeyCaller caller, String keyId, String policyName, String policy) {
        requireDefaultPolicyName(policyName);
        String text = validPolicy(policy);
        return change(caller, "kms:PutKeyPolicy", keyId, f -> f.key().withPolicy(text));
    }

    /** CreateAlias: {@code alias/...}, not under the reserved {@code alias/aws/}, for a key (not another alias). */
    public void createAlias(KeyCaller caller, String aliasName, String targetKeyId) {
        if (aliasName == null || !aliasName.startsWith("alias/") || aliasName.startsWith("alias/aws/")) {
            throw new RegistryException(ErrorCode.KMS_INVALID_ALIAS_NAME, "Alias must start with the prefix "
                    + "\"alias/\" and must not begin with \"alias/aws/\"");
        }
        if (!KeyRef.ALIAS.matcher(aliasName).matches()) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value '" + aliasName
                    + "' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: ^[a-zA-Z0-9:/_-]+$");
        }
        KeyRef target = keys.ref(targetKeyId, caller.registry());
        if (target.isAlias()) {
            throw new RegistryException(ErrorCode.VALIDATION, "Aliases must refer to keys. Not aliases");
        }
        keys.store().write(tx -> {
            Keys.Found f = keys.find(tx, target);
            keys.authorize(caller.principal(), "kms:CreateAlias", f);
            if (!f.account().equals(caller.registry())) {
                throw new RegistryException(ErrorCode.KMS_NOT_FOUND, "Key '" + keys.arn(f) + "' does not exist");
            }
            requireNotPending(f);
            Instant now = keys.now();
            if (!tx.kms().createAlias(caller.registry(), new KmsAliasRecord(aliasName, f.keyId(), now, now))) {
                throw new RegistryException(ErrorCode.KMS_ALREADY_EXISTS, "An alias with the name "
                        + KeyRef.aliasArn(keys.region(caller.registry()), caller.registry(), aliasName)
                        + " already exists");
            }
            return null;
        });
    }

    public void deleteAlias(KeyCaller caller, String aliasName) {
        KeyRef ref = keys.ref(aliasName, caller.registry());
        if (!ref.isAlias() || ref.alias().startsWith("alias/aws/")) {
            throw new RegistryException(ErrorCode.KMS_INVALID_ALIAS_NAME, "Alias must start with the prefix "
                    + "\"alias/\" and must not begin with \"alias/aws/\"");
        }
        keys.store().write(tx -> {
            Keys.Found f = keys.find(tx, ref);
            keys.authorize(caller.principal(), "kms:DeleteAlias", f);
            tx.kms().deleteAlias(ref.account(), ref.alias());
            return null;
        });
    }

    /** ListAliases: the caller's aliases, of one key when {@code keyId} is given, after {@code marker}. */
    public List<Keys.Alias> aliases(KeyCaller caller, String keyId, String marker, int limit) {
        String after = marker(marker, KeyRef.ALIAS);
        return keys.store().read(tx -> {
            String only = null;
            if (keyId != null) {
                KeyRef ref = keys.ref(keyId, caller.registry());
                if (ref.isAlias()) {
                    throw new RegistryException(ErrorCode.KMS_NOT_FOUND, "Invalid keyId '" + keyId + "'");
                }
                only = keys.find(tx, ref).keyId();
            }
            keys.authorize(caller.principal(), "kms:ListAliases", caller.registry());
            return tx.kms().aliases(caller.registry(), only, after, limit + 1).stream().map(a -> new Keys.Alias(
                    a.aliasName(), a.keyId(), a.createdAt(), a.updatedAt())).toList();
        });
    }

    /** The key {@code keyId} names, after authorizing {@code action} on it. */
    Keys.Found authorized(MetadataStore.Tx tx, KeyCaller caller, String action, String keyId) {
        Keys.Found f = keys.find(tx, keys.ref(keyId, caller.registry()));
        keys.authorize(caller.principal(), action, f);
        return f;
    }

    private Keys.Found change(KeyCaller caller, String action, String keyId,
                              java.util.function.Function<Keys.Found, KmsKeyRecord> how) {
        return keys.store().write(tx -> {
            Keys.Found f = authorized(tx, caller, action, keyId);
            if ("AWS".equals(f.key().keyManager())) {
                throw new RegistryException(ErrorCode.KMS_UNSUPPORTED, "You cannot perform this operation on an "
                        + "AWS managed key: " + keys.arn(f));
            }
            KmsKeyRecord changed = how.apply(f);
            tx.kms().updateKey(f.account(), changed);
            return new Keys.Found(f.account(), changed);
        });
    }

    private void requireNotPending(Keys.Found f) {
        if (KmsKeyRecord.PENDING_DELETION.equals(f.key().state())) {
            throw new RegistryException(ErrorCode.KMS_INVALID_STATE, keys.arn(f) + " is pending deletion.");
        }
    }

    private String validPolicy(String text) {
        try {
            policies.parse(text);
            return text;
        } catch (RegistryException e) {
            throw new RegistryException(ErrorCode.KMS_MALFORMED_POLICY, e.getMessage());
        }
    }

    private static void requireDefaultPolicyName(String name) {
        if (name != null && !name.equals("default")) {
            throw new RegistryException(ErrorCode.KMS_NOT_FOUND, "Policy " + name + " does not exist: only "
                    + "\"default\" does");
        }
    }

    /** {@code value} when within [min, max]; else KMS's ValidationException for the member. */
    public static int between(String member, int value, int min, int max) {
        if (value < min || value > max) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value '" + value
                    + "' at '" + member + "' failed to satisfy constraint: Member must have value between " + min
                    + " and " + max);
        }
        return value;
    }

    private static String marker(String marker, java.util.regex.Pattern form) {
        if (marker != null && !form.matcher(marker).matches()) {
            throw new RegistryException(ErrorCode.KMS_INVALID_MARKER, "Invalid marker " + marker);
        }
        return marker;
    }
}
