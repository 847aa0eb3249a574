package io.berth.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Console passwords as slow salted hashes: PBKDF2 with HMAC-SHA256 from the JDK, {@value #ITERATIONS} iterations
 * (OWASP's 2023 figure for this function), a random 128-bit salt and a 256-bit result, written
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} so a later, larger iteration count still verifies old hashes.
 */
public final class PasswordHash {
    static final int ITERATIONS = 210_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Verified when the user has no password, so a missing user costs as long as a wrong password. */
    private static final String DECOY = hash("decoy password, never matched".toCharArray());

    /** IAM's default password policy asks for 8 characters; we ask the same, and no more than 128. */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private PasswordHash() {}

    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code stored}; null {@code stored} costs the same time and is false. */
    public static boolean verify(char[] password, String stored) {
        String[] parts = (stored == null ? DECOY : stored).split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        boolean equal = MessageDigest.isEqual(derive(password, b64.decode(parts[2]), iterations), expected);
        return stored != null && equal;
    }

    /** Refuses what IAM's default policy would: too short or too long. */
    public static String problem(char[] password) {
        if (password.length < MIN_LENGTH) {
            return "the password must have at least " + MIN_LENGTH + " characters";
        }
        if (password.length > MAX_LENGTH) {
            return "the password must have at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

}
