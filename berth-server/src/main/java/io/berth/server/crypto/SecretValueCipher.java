package io.berth.server.crypto;

import io.berth.core.secrets.SecretSealer;
import javax.crypto.AEADBadTagException;

/**
 * Seals Secrets Manager values for the database like {@link SecretCipher} seals access-key secrets, under a
 * purpose of their own ({@code berth/secret-value/v1}), so neither kind of ciphertext opens as the other.
 */
public final class SecretValueCipher implements SecretSealer {
    private final Aead aead;

    public SecretValueCipher(MasterKey master) {
        this(master, "berth/secret-value/v1");
    }

    private SecretValueCipher(MasterKey master, String purpose) {
        this.aead = Aead.derived(master, purpose);
    }

    /** Webhook signing secrets, under a purpose of their own ({@code berth/webhook-secret/v1}). */
    public static SecretValueCipher forWebhooks(MasterKey master) {
        return new SecretValueCipher(master, "berth/webhook-secret/v1");
    }

    @Override
    public byte[] seal(String context, byte[] plain) {
        return aead.seal(context, plain);
    }

    @Override
    public byte[] open(String context, byte[] sealed) {
        try {
            return aead.open(context, sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored value of " + context + " has an unknown format", e);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("stored value of " + context + " does not decrypt: the master key "
                    + "differs from the one it was stored under (set BERTH_MASTER_KEY on every node alike)", e);
        }
    }
}
