package io.berth.core.kms;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key service's ciphertext blob. It names its key (account, key UUID, key version) in the clear, so Decrypt
 * needs no KeyId and finds the old version after a rotation; everything after that header is AES-256-GCM under
 * the version's material, with the header and the encryption context as associated data, so an altered header, a
 * blob of another key or another context does not open.
 *
 * <p>Format: {@code 0x01}, account (12 ASCII digits), key UUID (16 bytes), version (4 bytes), nonce (12 bytes),
 * ciphertext with its 16-byte tag.
 */
public record Ciphertext(RegistryId account, String keyId, int version) {
    private static final byte FORMAT = 1;
    private static final int HEADER = 1 + 12 + 16 + 4;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The header of {@code blob}; InvalidCiphertextException when it is not a ciphertext of this service. */
    public static Ciphertext header(byte[] blob) {
        if (blob.length < HEADER + NONCE + TAG || blob[0] != FORMAT) {
            throw invalid();
        }
        String account = new String(blob, 1, 12, StandardCharsets.US_ASCII);
        if (!account.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid();
        }
        ByteBuffer b = ByteBuffer.wrap(blob, 13, 20);
        String keyId = new UUID(b.getLong(), b.getLong()).toString();
        return new Ciphertext(new RegistryId(account), keyId, b.getInt());
    }

    /** Seals {@code plaintext} under {@code material}, this header and {@code context}. */
    public byte[] seal(byte[] material, Map<String, String> context, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        ByteBuffer out = ByteBuffer.allocate(HEADER + NONCE + plaintext.length + TAG);
        out.put(headerBytes()).put(nonce);
        try {
            out.put(cipher(Cipher.ENCRYPT_MODE, material, nonce, context).doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
        return out.array();
    }

    /** The plaintext of {@code blob} (whose header is this); InvalidCiphertextException when it does not open. */
    public byte[] open(byte[] material, Map<String, String> context, byte[] blob) {
        byte[] nonce = java.util.Arrays.copyOfRange(blob, HEADER, HEADER + NONCE);
        try {
            return cipher(Cipher.DECRYPT_MODE, material, nonce, context).doFinal(blob, HEADER + NONCE,
                    blob.length - HEADER - NONCE);
        } catch (AEADBadTagException e) {
            throw invalid();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    private byte[] headerBytes() {
        UUID id = UUID.fromString(keyId);
        return ByteBuffer.allocate(HEADER).put(FORMAT).put(account.value().getBytes(StandardCharsets.US_ASCII))
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).putInt(version).array();
    }

    private Cipher cipher(int mode, byte[] material, byte[] nonce, Map<String, String> context)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG * 8, nonce));
        c.updateAAD(headerBytes());
        c.updateAAD(canonical(context));
        return c;
    }

    /** The context in one unambiguous byte form: sorted, each key and value length-prefixed. */
    static byte[] canonical(Map<String, String> context) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(context == null ? Map.<String, String>of() : context).forEach((k, v) -> s.append(k.length())
                .append(':').append(k).append(v.length()).append(':').append(v));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    static RegistryException invalid() {
        return new RegistryException(ErrorCode.KMS_INVALID_CIPHERTEXT, null);
    }
}
