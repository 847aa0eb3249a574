package io.berth.core.signing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * JWS (RFC 7515/7518) primitives for ES384: base64url without padding, and the conversion between the JDK's DER
 * ECDSA signature and JWS's fixed-width {@code R || S} (48 bytes each for P-384, RFC 7518 §3.4).
 */
public final class Jws {
    /** Bytes of each of R and S for P-384. */
    static final int P384_PART = 48;

    private Jws() {}

    public static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Decodes base64url; padding is refused, as RFC 7515 §2 leaves it out. */
    public static byte[] fromB64url(String s) {
        if (s == null || s.indexOf('=') >= 0) {
            throw new IllegalArgumentException("not unpadded base64url");
        }
        return Base64.getUrlDecoder().decode(s);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DER {@code SEQUENCE {INTEGER r, INTEGER s}} to {@code R || S}. */
    static byte[] derToConcat(byte[] der, int part) {
        int[] at = {2};
        if ((der[1] & 0x80) != 0) {
            at[0] = 2 + (der[1] & 0x7F);
        }
        byte[] r = readInteger(der, at);
        byte[] s = readInteger(der, at);
        byte[] out = new byte[2 * part];
        copyRight(r, out, 0, part);
        copyRight(s, out, part, part);
        return out;
    }

    /** {@code R || S} to DER; throws IllegalArgumentException for a wrong length. */
    public static byte[] concatToDer(byte[] concat, int part) {
        if (concat.length != 2 * part) {
            throw new IllegalArgumentException("an ES384 signature is " + 2 * part + " bytes, not " + concat.length);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(concat, 0, part));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(concat, part, 2 * part));
        return Der.sequence(Der.integer(r), Der.integer(s));
    }

    private static byte[] readInteger(byte[] der, int[] at) {
        int len = der[at[0] + 1] & 0xFF;
        byte[] v = Arrays.copyOfRange(der, at[0] + 2, at[0] + 2 + len);
        at[0] += 2 + len;
        return v;
    }

    private static void copyRight(byte[] value, byte[] out, int offset, int part) {
        int start = 0;
        while (start < value.length - 1 && value[start] == 0 && value.length - start > part) {
            start++;
        }
        int n = value.length - start;
        System.arraycopy(value, start, out, offset + part - n, n);
    }
}
