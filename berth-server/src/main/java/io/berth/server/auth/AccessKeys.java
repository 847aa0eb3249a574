package io.berth.server.auth;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Generates identifiers shaped like AWS's, so clients and their validators accept them. */
public final class AccessKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"; // base32, as AWS key IDs
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    public static final Pattern ACCESS_KEY_ID = Pattern.compile("AKIA[A-Z0-9]{16}");

    private AccessKeys() {}

    /** {@code AKIA} and 16 upper-case alphanumerics. */
    public static String newAccessKeyId() { return "AKIA" + random(UPPER_ALNUM, 16); }

    /** 40 characters of base64's alphabet (about 238 bits). */
    public static String newSecret() { return random(SECRET_ALPHABET, 40); }

    /** An IAM user's unique ID: {@code AIDA} and 17 upper-case alphanumerics. */
    public static String newUserId() { return "AIDA" + random(UPPER_ALNUM, 17); }

    /** A random 12-digit account ID not starting with 0 (reserved for the documented default). */
    public static String newAccountId() {
        return (1 + RANDOM.nextInt(9)) + random("0123456789", 11);
    }

    private static String random(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
