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
 * ciphertext with its 16-byte tag. A key of a region other than the default (whose registry has a region) writes
 * format {@code 0x02}: the same with the region's length (1 byte) and name (ASCII) after the account, so the blob
 * names the regional registry its key lives in. Default-region ciphertexts keep format 1, as before regions.
 */
public record Ciphertext(RegistryId account, String keyId, int version) {
    private static final byte FORMAT = 1;
    private static final byte REGIONAL_FORMAT = 2;
    private static final int HEADER = 1 + 12 + 16 + 4;
    private static final int MAX_REGION = 32;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The header of {@code blob}; InvalidCiphertextException when it is not a ciphertext of this service. */
    public static Ciphertext header(byte[] blob) {
        if (blob.length < HEADER + NONCE + TAG || (blob[0] != FORMAT && blob[0] != REGIONAL_FORMAT)) {
            throw invalid();
        }
        String account = new String(blob, 1, 12, StandardCharsets.US_ASCII);
        if (!account.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid();
        }
        String region = null;
        int at = 13;
        if (blob[0] == REGIONAL_FORMAT) {
            int n = blob[13];
            if (n < 1 || n > MAX_REGION || blob.length < HEADER + 1 + n + NONCE + TAG) {
                throw invalid();
            }
            region = new String(blob, 14, n, StandardCharsets.US_ASCII);
            if (!RegistryId.REGION.matcher(region).matches()) {
                throw invalid();
            }
            at = 14 + n;
        }
        ByteBuffer b = ByteBuffer.wrap(blob, at, 20);
        String keyId = new UUID(b.getLong(), b.getLong()).toString();
        return new Ciphertext(new RegistryId(account, region), keyId, b.getInt());
    }

    /** Seals {@code plaintext} under {@code material}, this header and {@code context}. */
    public byte[] seal(byte[] material, Map<String, String> context, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] header = headerBytes();
        ByteBuffer out = ByteBuffer.allocate(header.length + NONCE + plaintext.length + TAG);
        out.put(header).put(nonce);
        try {
            out.put(cipher(Cipher.ENCRYPT_MODE, material, nonce, context).doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
        return out.array();
    }

    /** The plaintext of {@code blob} (whose header is this); InvalidCiphertextException when it does not open. */
    public byte[] open(byte[] material, Map<String, String> context, byte[] blob) {
        int header = headerBytes().length;
        byte[] nonce = java.util.Arrays.copyOfRange(blob, header, header + NONCE);
        try {
            return cipher(Cipher.DECRYPT_MODE, material, nonce, context).doFinal(blob, header + NONCE,
                    blob.length - header - NONCE);
        } catch (AEADBadTagException e) {
            throw invalid();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    private byte[] headerBytes() {
        UUID id = UUID.fromString(keyId);
        byte[] region = account.region() == null ? new byte[0] : account.region().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(HEADER + (region.length == 0 ? 0 : 1 + region.length));
        b.put(region.length == 0 ? FORMAT : REGIONAL_FORMAT).put(account.value().getBytes(StandardCharsets.US_ASCII));
        if (region.length > 0) {
            b.put((byte) region.length).put(region);
        }
        return b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).putInt(version).array();
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
