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
    default Principal authenticateApiCall(ApiRequest request) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        return beginApiCall(request).finish(SigV4.sha256Hex(body));
    }

    /**
     * Phase 1 of {@link #authenticateApiCall}, before the body is read: throws for everything the headers and
     * query settle (missing or malformed authorization, date outside the window, wrong scope or signed-header set,
     * unknown key); {@code request.body()} is ignored. The signing service is told by the request's shape
     * ({@link ApiRequests#signingService}).
     */
    default PendingApiCall beginApiCall(ApiRequest request) {
        return beginApiCall(request, ApiRequests.signingService(request));
    }

    /** {@link #beginApiCall(ApiRequest)} for a call the AWS plane routed to the service {@code signingService}. */
    PendingApiCall beginApiCall(ApiRequest request, String signingService);

    /** An API call that passed {@link #beginApiCall}; its signature is checked once the body has been hashed. */
    @FunctionalInterface
    interface PendingApiCall {
        /** Phase 2: the principal, or InvalidSignature unless the signature covers a body of this SHA-256. */
        Principal finish(String payloadSha256Hex);

        /**
         * The account whose key signed the call, before the signature is checked (it needs the body): for the
         * request quotas, which are charged before the body is read. Null when not known.
         */
        default io.berth.core.model.RegistryId claimedAccount() { return null; }
    }

    /**
     * Authenticates a {@code /v2/} request from its {@code Authorization} header (null when absent). Empty means
     * anonymous; a present but invalid credential throws (UNAUTHORIZED).
     */
    default Optional<Principal> authenticateRegistry(String authorizationHeader) {
        return authenticateRegistry(authorizationHeader, null);
    }

    /**
     * As {@link #authenticateRegistry(String)} for a request to {@code region}'s registries (null: the default
     * region): a registry token counts only in the region it was issued for.
     */
    Optional<Principal> authenticateRegistry(String authorizationHeader, String region);

    /**
     * A signed API request as received.
     *
     * @param headers header names in lower case, values in arrival order
     */
    record ApiRequest(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
                      String remoteAddress) {}
}
