package io.berth.core.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.KmsKeyRecord;
import io.berth.core.spi.meta.MetadataStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The key service's cryptographic operations (Encrypt, Decrypt, GenerateDataKey) for callers, and the same for the
 * registry's own envelope encryption ({@link #wrap}, {@link #unwrap}, {@link #rewrap}), which is not authorized
 * against a caller but honours the key's state: a disabled key or one pending deletion refuses both.
 *
 * <p>A key with rotation enabled gets a new version when its period has passed, at its next use; every version
 * stays, so any ciphertext it ever made still decrypts.
 */
public final class KeyCrypto {
    /** KMS's limit on Encrypt's plaintext. */
    public static final int MAX_PLAINTEXT = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Keys keys;

    public KeyCrypto(Keys keys) {
        this.keys = keys;
    }

    /** What Encrypt and GenerateDataKey hand back: the key's ARN, the blob, and (GenerateDataKey) the plaintext. */
    public record Sealed(String keyArn, byte[] ciphertext, byte[] plaintext) {}

    /** What Decrypt hands back. */
    public record Opened(String keyArn, byte[] plaintext) {}

    public Sealed encrypt(KeyCaller caller, String keyId, byte[] plaintext, Map<String, String> context) {
        if (plaintext == null || plaintext.length == 0 || plaintext.length > MAX_PLAINTEXT) {
            throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value at 'plaintext' "
                    + "failed to satisfy constraint: Member must have length between 1 and " + MAX_PLAINTEXT);
        }
        KeyRef ref = keys.ref(keyId, caller.registry());
        return seal(ref, context, plaintext, f -> keys.authorize(caller.principal(), "kms:Encrypt", f));
    }

    /**
     * GenerateDataKey: a random data key, in plaintext and sealed. Exactly one of {@code keySpec}
     * ({@code AES_256}, {@code AES_128}) and {@code numberOfBytes} (1 to 1024).
     */
    public Sealed generateDataKey(KeyCaller caller, String keyId, String keySpec, Integer numberOfBytes,
                                  Map<String, String> context) {
        int size = dataKeySize(keySpec, numberOfBytes);
        KeyRef ref = keys.ref(keyId, caller.registry());
        byte[] dataKey = new byte[size];
        RANDOM.nextBytes(dataKey);
        Sealed s = seal(ref, context, dataKey, f -> keys.authorize(caller.principal(), "kms:GenerateDataKey", f));
        return new Sealed(s.keyArn(), s.ciphertext(), dataKey);
    }

    /**
     * Decrypt: the ciphertext names its key; a {@code keyId}, when given, must name that same key
     * (IncorrectKeyException otherwise).
     */
    public Opened decrypt(KeyCaller caller, byte[] blob, String keyId, Map<String, String> context) {
        Ciphertext header = Ciphertext.header(blob);
        KeyRef named = keyId == null ? null : keys.ref(keyId, caller.registry());
        if (!java.util.Objects.equals(header.account().region(), caller.registry().region())) {
            // a ciphertext of another region's key: that region's service decrypts it, as in KMS
            throw Ciphertext.invalid();
        }
        return keys.store().read(tx -> {
            Keys.Found f = owner(tx, header);
            if (named != null) {
                Keys.Found asked = keys.find(tx, named);
                if (!asked.account().equals(f.account()) || !asked.keyId().equals(f.keyId())) {
                    throw new RegistryException(ErrorCode.KMS_INCORRECT_KEY, "The key ID in the request does not "
                            + "identify a CMK that can perform this operation.");
                }
            }
            keys.authorize(caller.principal(), "kms:Decrypt", f);
            keys.requireUsable(f);
            return new Opened(keys.arn(f), header.open(keys.material(tx, f, header.version()), context, blob));
        });
    }

    /** Seals {@code plaintext} (a data key of the registry) under the key {@code ref} names, for the registry. */
    public Sealed wrap(KeyRef ref, Map<String, String> context, byte[] plaintext) {
        return seal(ref, context, plaintext, f -> { });
    }

    /** Opens a {@link #wrap}ped value for the registry; KmsException-worthy states surface as KMS's own errors. */
    public byte[] unwrap(byte[] blob, Map<String, String> context) {
        Ciphertext header = Ciphertext.header(blob);
        return keys.store().read(tx -> {
            Keys.Found f = owner(tx, header);
            keys.requireUsable(f);
            return header.open(keys.material(tx, f, header.version()), context, blob);
        });
    }

    /**
     * The same plaintext sealed under another key (and context): how a blob's data key gains a wrapping for a
     * repository with another key, here or in another region's service. The plaintext never leaves this call.
     */
    public Sealed rewrap(byte[] blob, Map<String, String> fromContext, KeyRef target, Map<String, String> toContext) {
        return wrap(target, toContext, unwrap(blob, fromContext));
    }

    private Sealed seal(KeyRef ref, Map<String, String> context, byte[] plaintext,
                        java.util.function.Consumer<Keys.Found> authorize) {
        Keys.Found found = keys.store().read(tx -> keys.find(tx, ref));
        authorize.accept(found);
        keys.requireUsable(found);
        Keys.Found f = rotationDue(found.key()) ? keys.store().write(tx -> rotate(keys, tx, keys.find(tx, ref)))
                : found;
        return keys.store().read(tx -> {
            Ciphertext header = new Ciphertext(f.account(), f.keyId(), f.key().currentVersion());
            return new Sealed(keys.arn(f), header.seal(keys.material(tx, f, header.version()), context, plaintext),
                    null);
        });
    }

    private boolean rotationDue(KmsKeyRecord k) {
        return k.rotationEnabled() && !k.rotatedAt().plus(Duration.ofDays(k.rotationPeriodDays()))
                .isAfter(keys.now());
    }

    /** Adds the next version of the key's material and makes it current; older versions stay for Decrypt. */
    static Keys.Found rotate(Keys keys, MetadataStore.Tx tx, Keys.Found f) {
        int next = f.key().currentVersion() + 1;
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        Instant now = keys.now();
        if (!tx.kms().addVersion(f.account(), f.keyId(), next, keys.sealMaterial(f.account(), f.keyId(), next,
                material), now)) {
            // another node rotated first: use theirs
            return keys.find(tx, new KeyRef(f.account(), f.keyId(), null));
        }
        KmsKeyRecord rotated = f.key().rotated(next, now);
        tx.kms().updateKey(f.account(), rotated);
        return new Keys.Found(f.account(), rotated);
    }

    /** The key a ciphertext names; InvalidCiphertextException when it names none here (another deployment's). */
    private Keys.Found owner(MetadataStore.Tx tx, Ciphertext header) {
        RegistryId account = header.account();
        return tx.kms().key(account, header.keyId()).filter(k -> !keys.gone(k))
                .filter(k -> header.version() >= 1 && header.version() <= k.currentVersion())
                .map(k -> new Keys.Found(account, k)).orElseThrow(Ciphertext::invalid);
    }

    private static int dataKeySize(String keySpec, Integer numberOfBytes) {
        if ((keySpec == null) == (numberOfBytes == null)) {
            throw new RegistryException(ErrorCode.VALIDATION, "Please specify either number of bytes or key spec.");
        }
        if (numberOfBytes != null) {
            return KeyService.between("numberOfBytes", numberOfBytes, 1, 1024);
        }
        return switch (keySpec) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw new RegistryException(ErrorCode.VALIDATION, "1 validation error detected: Value '"
                    + keySpec + "' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[AES_256, AES_128]");
        };
    }
}
