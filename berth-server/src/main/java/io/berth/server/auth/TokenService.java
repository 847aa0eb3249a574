package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.server.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Registry tokens: the password half of ECR's {@code AWS:<password>} docker login credential. A token is
 * self-contained and signed ({@code v1.<payload>.<HMAC-SHA256>}, base64url), so any node holding the same master
 * key verifies it with one HMAC and no database lookup. The payload names the principal (account, kind, user,
 * access key) and the expiry, 12 hours after issue as in ECR.
 *
 * <p>A token is bound to the deployment (the database's {@link Binding#deploymentId}) and the region that issued
 * it: both go into the key that signs it, so another deployment sharing the master key, or another region, cannot
 * use it. On every use the principal it names must still be active ({@link ActivePrincipals}): revoking the access
 * key or the user ends its tokens within seconds, not 12 hours.
 */
public final class TokenService {
    /** ECR: "Authorization tokens are valid for 12 hours." */
    public static final Duration VALIDITY = Duration.ofHours(12);
    /** v2: bound to deployment and region (v1 tokens, signed with the master key alone, are no longer valid). */
    private static final String PREFIX = "v2.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** Verified tokens kept so the manifest GET path skips even the HMAC; cleared wholesale when full. */
    private static final int CACHE_MAX = 4096;

    /** An issued token: {@code password} goes after {@code AWS:}; ECR's GetAuthorizationToken returns both. */
    public record Token(String password, Instant expiresAt) {
        /** ECR's {@code authorizationToken}: base64 of {@code AWS:<password>}. */
        public String authorizationToken() {
            return Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What a token is bound to: this deployment and its region. */
    public record Binding(String deploymentId, String region) {}

    private record Verified(Principal principal, Instant expiresAt, String region) {}

    private final SecretKeySpec key;
    private final Binding binding;
    private final ActivePrincipals active;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> cache = new ConcurrentHashMap<>();

    public TokenService(MasterKey master, Binding binding, ActivePrincipals active, Clock clock) {
        // '|' occurs in neither field: deployment IDs are hex, region names [a-z0-9-]
        this.key = new SecretKeySpec(master.derive("berth/registry-token/v2|" + binding.deploymentId() + "|"
                + binding.region()), "HmacSHA256");
        this.binding = binding;
        this.active = active;
        this.clock = clock;
    }

    /** The deployment and region this service's tokens are bound to. */
    public Binding binding() { return binding; }

    /** A token for the default region ({@link Binding#region}). */
    public Token issue(Principal principal) {
        return issue(principal, null);
    }

    /**
     * A token usable only in {@code region} (null: the default region). The region is a signed field of the
     * payload; a token of the default region leaves it out, which is how tokens from before regions read.
     */
    public Token issue(Principal principal, String region) {
        if (principal.isAnonymous()) {
            throw new IllegalArgumentException("no token for the anonymous principal");
        }
        Instant expires = clock.instant().plus(VALIDITY).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // '|' cannot occur in any field: account digits, IAM names ([\w+=,.@-]), access key IDs
        String payload = String.join("|", principal.kind().name(), principal.account().value(),
                nullToEmpty(principal.userName()), nullToEmpty(principal.accessKeyId()),
                Long.toString(expires.getEpochSecond()));
        if (region != null && !region.equals(binding.region())) {
            payload = payload + "|" + region;
        }
        String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new Token(PREFIX + body + "." + B64.encodeToString(mac(body)), expires);
    }

    /**
     * The principal a token was issued to; UNAUTHORIZED when it is forged, malformed, expired, from another
     * deployment or region, or names a key or user that is no longer active.
     */
    public Principal verify(String password) {
        return verify(password, null);
    }

    /** As {@link #verify(String)}, for a request to {@code region} (null: the default region). */
    public Principal verify(String password, String region) {
        Instant now = clock.instant();
        Verified v = cache.get(password);
        if (v != null && !now.isBefore(v.expiresAt())) {
            cache.remove(password);
            throw expired();
        }
        if (v == null) {
            v = parse(password);
            if (!now.isBefore(v.expiresAt())) {
                throw expired();
            }
            if (cache.size() >= CACHE_MAX) {
                cache.clear(); // crude but bounded; a token's next use costs one HMAC again
            }
            cache.put(password, v);
        }
        String wanted = region == null ? binding.region() : region;
        if (!v.region().equals(wanted)) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "authorization token was issued for region "
                    + v.region() + ", not " + wanted + ": get one with aws ecr get-login-password --region " + wanted);
        }
        if (!active.isActive(v.principal())) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "authorization token is no longer valid: its "
                    + "access key or user has been revoked");
        }
        return v.principal();
    }

    private Verified parse(String password) {
        int dot = password == null ? -1 : password.lastIndexOf('.');
        if (dot < 0 || !password.startsWith(PREFIX) || dot <= PREFIX.length()) {
            throw invalid();
        }
        String body = password.substring(PREFIX.length(), dot);
        byte[] given;
        String[] f;
        try {
            given = B64D.decode(password.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(body), given)) { // constant time
                throw invalid();
            }
            f = new String(B64D.decode(body), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (f.length != 5 && f.length != 6) {
            throw invalid();
        }
        RegistryId account = new RegistryId(f[1]);
        String keyId = f[3].isEmpty() ? null : f[3];
        Principal p = switch (Principal.Kind.valueOf(f[0])) {
            case ROOT -> Principal.root(account, keyId);
            case USER -> Principal.user(account, f[2], keyId);
            case ANONYMOUS -> throw invalid();
        };
        return new Verified(p, Instant.ofEpochSecond(Long.parseLong(f[4])), f.length == 6 ? f[5] : binding.region());
    }

    private byte[] mac(String body) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    private static RegistryException invalid() {
        return new RegistryException(ErrorCode.UNAUTHORIZED, "authorization token is invalid");
    }

    private static RegistryException expired() {
        return new RegistryException(ErrorCode.UNAUTHORIZED, "authorization token has expired; "
                + "run aws ecr get-login-password again");
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }
}
