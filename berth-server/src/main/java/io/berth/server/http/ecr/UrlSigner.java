package io.berth.server.http.ecr;

/**
 * Signs and verifies layer download paths. Pluggable because the key belongs to whoever owns the server's master
 * key (the identity module); {@link HmacUrlSigner} is the implementation, fed a key from wherever.
 */
public interface UrlSigner {

    /** The signature of {@code path} valid until {@code expiresEpochSeconds}. */
    String sign(String path, long expiresEpochSeconds);

    /** Constant-time check of a signature for {@code path} and {@code expiresEpochSeconds}. */
    boolean verify(String path, long expiresEpochSeconds, String signature);
}
