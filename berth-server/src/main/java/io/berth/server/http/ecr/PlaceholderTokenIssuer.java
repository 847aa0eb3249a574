package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Until registry tokens exist (identity work): a random password with ECR's 12-hour validity. Nothing checks it,
 * which is only acceptable because {@code /v2/} is open while authentication is off.
 */
public final class PlaceholderTokenIssuer implements RegistryTokenIssuer {
    /** ECR: "Authorization tokens are valid for 12 hours." */
    public static final Duration VALIDITY = Duration.ofHours(12);
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public PlaceholderTokenIssuer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Issued issue(Principal principal) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return new Issued(Base64.getUrlEncoder().withoutPadding().encodeToString(b), clock.instant().plus(VALIDITY));
    }
}
