package io.berth.server.auth;

import io.berth.core.auth.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Establishes who made a request, on both planes. Authorisation (may this principal do that) is a separate step.
 * Failures are {@link io.berth.core.error.RegistryException}s whose codes come from the one error table.
 */
public interface Authenticator {

    /** False when the server runs with {@code --insecure-no-auth}: every request acts as the default root. */
    boolean enabled();

    /**
     * Authenticates a signed AWS JSON/query API call (ECR, STS) whose body has been read. Throws for a missing,
     * malformed, expired or wrong signature or an unknown key.
     */
    Principal authenticateApiCall(ApiRequest request);

    /**
     * Authenticates a {@code /v2/} request from its {@code Authorization} header (null when absent). Empty means
     * anonymous; a present but invalid credential throws (UNAUTHORIZED).
     */
    Optional<Principal> authenticateRegistry(String authorizationHeader);

    /**
     * A signed API request as received.
     *
     * @param headers header names in lower case, values in arrival order
     */
    record ApiRequest(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
                      String remoteAddress) {}
}
