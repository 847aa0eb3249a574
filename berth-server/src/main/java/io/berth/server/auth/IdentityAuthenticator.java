package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Identities.ActiveKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication with identities from the database: SigV4 on API calls, and on {@code /v2/} HTTP Basic with either
 * {@code AWS:<registry token>} (what {@code docker login} sends) or {@code <access key ID>:<secret>} (for scripts).
 */
public final class IdentityAuthenticator implements Authenticator {
    /**
     * How long a key:secret check on {@code /v2/} is remembered, so a pull does not cost a database read and an
     * AES decryption per blob. It bounds how long a revoked key keeps working there; API calls never use it.
     */
    static final Duration BASIC_CACHE_TTL = Duration.ofSeconds(5);
    private static final int BASIC_CACHE_MAX = 1024;

    private final Identities identities;
    private final TokenService tokens;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private final ConcurrentHashMap<String, CachedBasic> basicCache = new ConcurrentHashMap<>();

    private record CachedBasic(byte[] secretHash, Principal principal, Instant until) {}

    public IdentityAuthenticator(Identities identities, TokenService tokens, SigV4Verifier verifier, Clock clock) {
        this.identities = identities;
        this.tokens = tokens;
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public boolean enabled() { return true; }

    @Override
    public PendingApiCall beginApiCall(ApiRequest request, String signingService) {
        ActiveKey[] found = new ActiveKey[1];
        SigV4Verifier.Pending pending = verifier.begin(request, signingService, keyId -> {
            found[0] = identities.activeKey(keyId).orElse(null);
            return Optional.ofNullable(found[0]).map(ActiveKey::secret);
        });
        Principal principal = found[0].principal();
        return new PendingApiCall() {
            @Override
            public Principal finish(String payloadHash) {
                pending.verify(payloadHash);
                return principal;
            }

            @Override
            public io.berth.core.model.RegistryId claimedAccount() { return principal.account(); }
        };
    }

    @Override
    public Optional<Principal> authenticateRegistry(String authorizationHeader, String region) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.empty();
        }
        if (!authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized("only Basic authentication is supported (docker login / aws ecr get-login-password)");
        }
        String userPass;
        try {
            userPass = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("malformed Basic credentials");
        }
        int colon = userPass.indexOf(':');
        if (colon < 0) {
            throw unauthorized("malformed Basic credentials");
        }
        String user = userPass.substring(0, colon);
        String pass = userPass.substring(colon + 1);
        if (user.isEmpty() && pass.isEmpty()) {
            // containers/image (skopeo, podman) with --no-creds answers the Basic challenge with an empty pair:
            // that is an anonymous request, for public repositories, not a wrong key
            return Optional.empty();
        }
        if (user.equals("AWS")) {
            return Optional.of(tokens.verify(pass, region));
        }
        return Optional.of(byAccessKey(user, pass));
    }

    private Principal byAccessKey(String accessKeyId, String secret) {
        byte[] hash = sha256(secret);
        Instant now = clock.instant();
        CachedBasic hit = basicCache.get(accessKeyId);
        if (hit != null && now.isBefore(hit.until()) && MessageDigest.isEqual(hit.secretHash(), hash)) {
            return hit.principal();
        }
        ActiveKey key = identities.activeKey(accessKeyId).orElseThrow(() -> unauthorized(
                "The security token included in the request is invalid."));
        if (!MessageDigest.isEqual(sha256(key.secret()), hash)) { // equal-length digests: constant time
            throw unauthorized("access key and secret do not match");
        }
        if (basicCache.size() >= BASIC_CACHE_MAX) {
            basicCache.clear();
        }
        basicCache.put(accessKeyId, new CachedBasic(hash, key.principal(), now.plus(BASIC_CACHE_TTL)));
        return key.principal();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
        }
    }

    private static RegistryException unauthorized(String message) {
        return new RegistryException(ErrorCode.UNAUTHORIZED, message);
    }
}
