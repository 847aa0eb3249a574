package io.berth.server.crypto;

import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;

/**
 * Encrypts access key secrets for the database ({@link Aead} under the purpose {@code berth/access-key-secret/v1}).
 * SigV4 needs the secret itself to recompute signatures, so a one-way hash is not an option. The access key ID is
 * the associated data, so a ciphertext copied onto another key's row does not decrypt.
 */
public final class SecretCipher {
    private final Aead aead;

    public SecretCipher(MasterKey master) {
        this.aead = Aead.derived(master, "berth/access-key-secret/v1");
    }

    public byte[] encrypt(String accessKeyId, String secret) {
        return aead.seal(accessKeyId, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Throws {@link IllegalStateException} when the ciphertext was made under another master key or altered. */
    public String decrypt(String accessKeyId, byte[] encrypted) {
        try {
            return new String(aead.open(accessKeyId, encrypted), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored secret of " + accessKeyId + " has an unknown format", e);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("stored secret of " + accessKeyId + " does not decrypt: the master key "
                    + "differs from the one it was stored under (set BERTH_MASTER_KEY on every node alike)", e);
        }
    }
}
