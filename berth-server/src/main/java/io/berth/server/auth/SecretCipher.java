package io.berth.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts access key secrets for the database: AES-256-GCM (JDK javax.crypto) under a key derived from the
 * {@link MasterKey}. SigV4 needs the secret itself to recompute signatures, so a one-way hash is not an option.
 * The access key ID is the associated data, so a ciphertext copied onto another key's row does not decrypt.
 *
 * <p>Format: version byte {@code 1}, 12-byte random nonce, ciphertext with the 16-byte tag.
 */
public final class SecretCipher {
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretCipher(MasterKey master) {
        this.key = new SecretKeySpec(master.derive("berth/access-key-secret/v1"), "AES");
    }

    public byte[] encrypt(String accessKeyId, String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, accessKeyId);
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    /** Throws {@link IllegalStateException} when the ciphertext was made under another master key or altered. */
    public String decrypt(String accessKeyId, byte[] encrypted) {
        if (encrypted.length < 1 + NONCE + TAG_BITS / 8 || encrypted[0] != VERSION) {
            throw new IllegalStateException("stored secret of " + accessKeyId + " has an unknown format");
        }
        try {
            byte[] nonce = java.util.Arrays.copyOfRange(encrypted, 1, 1 + NONCE);
            Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, accessKeyId);
            return new String(c.doFinal(encrypted, 1 + NONCE, encrypted.length - 1 - NONCE), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("stored secret of " + accessKeyId + " does not decrypt: the master key "
                    + "differs from the one it was stored under (set BERTH_MASTER_KEY on every node alike)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String accessKeyId) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
