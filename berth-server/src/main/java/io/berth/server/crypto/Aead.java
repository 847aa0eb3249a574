package io.berth.server.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption (AES-256-GCM, JDK javax.crypto) under a key the {@link MasterKey} derives for one
 * purpose, so no two uses (stored secrets, page cursors, the KMS and Secrets Manager data to come) share key
 * material. The associated data binds a sealed value to its place (a row's key, a listing's kind): sealed for one
 * place, it does not open at another.
 *
 * <p>Format: version byte {@code 1}, 12-byte random nonce, ciphertext with the 16-byte tag.
 */
public final class Aead {
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private Aead(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Under the key {@code master} derives for {@code purpose} (a versioned label such as {@code berth/x/v1}). */
    public static Aead derived(MasterKey master, String purpose) {
        return new Aead(master.derive(purpose));
    }

    public byte[] seal(String associatedData, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData).doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    /**
     * The plaintext of a value {@link #seal}ed under this key with the same associated data.
     *
     * @throws IllegalArgumentException when {@code sealed} is not in this format at all
     * @throws AEADBadTagException      when it was sealed under another key or associated data, or altered
     */
    public byte[] open(String associatedData, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalArgumentException("not a sealed value of version " + VERSION);
        }
        try {
            byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE);
            return cipher(Cipher.DECRYPT_MODE, nonce, associatedData)
                    .doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String associatedData) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
