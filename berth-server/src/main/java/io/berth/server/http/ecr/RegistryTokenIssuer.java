package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import java.time.Instant;

/**
 * Issues the password half of a registry login ({@code AWS:<password>}) for a principal. The identity module's
 * The identity module's TokenService backs it (see ServeCommand).
 */
public interface RegistryTokenIssuer {

    /** A password that logs in to {@code region}'s registries only. */
    Issued issue(Principal principal, String region);

    record Issued(String password, Instant expiresAt) {}
}
