package io.berth.core.model;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest such as {@code sha256:6c3c...}. Only the algorithms the OCI image spec registers (sha256,
 * sha512) are accepted, and the hex part must have exactly the algorithm's length in lowercase: every other string
 * is refused here, so no raw digest string travels further into the registry.
 */
public final class Digest implements Comparable<Digest> {

    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String prefix;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String prefix, String jcaName, int hexLength) {
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String prefix() { return prefix; }
        public int hexLength() { return hexLength; }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JCA lacks " + jcaName, e);
            }
        }

        static Algorithm byPrefix(String prefix) {
            for (Algorithm a : values()) {
                if (a.prefix.equals(prefix)) {
                    return a;
                }
            }
            return null;
        }
    }

    private final Algorithm algorithm;
    private final String hex;

    private Digest(Algorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /** Parses a digest, throwing {@link ErrorCode#DIGEST_INVALID} for anything malformed. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "digest is missing");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "digest has no algorithm: " + abbreviate(value));
        }
        Algorithm algorithm = Algorithm.byPrefix(value.substring(0, colon));
        if (algorithm == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "unsupported digest algorithm: " + abbreviate(value.substring(0, colon)));
        }
        String hex = value.substring(colon + 1);
        if (hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "malformed " + algorithm.prefix
                    + " digest: expected " + algorithm.hexLength + " lowercase hex characters");
        }
        return new Digest(algorithm, hex);
    }

    /** True when {@code value} would parse; for routing decisions (tag or digest) without exceptions. */
    public static boolean looksLikeDigest(String value) {
        return value.indexOf(':') > 0;
    }

    public static Digest of(Algorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    public static Digest sha256Of(byte[] content) {
        return of(Algorithm.SHA256, Algorithm.SHA256.newMessageDigest().digest(content));
    }

    public static Digest compute(Algorithm algorithm, byte[] content) {
        return of(algorithm, algorithm.newMessageDigest().digest(content));
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    public Algorithm algorithm() { return algorithm; }

    public String hex() { return hex; }

    @Override
    public String toString() { return algorithm.prefix + ":" + hex; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() { return Objects.hash(algorithm, hex); }

    @Override
    public int compareTo(Digest o) { return toString().compareTo(o.toString()); }
}
