package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import java.util.Optional;

/** {@code --insecure-no-auth}: everyone is the default account's root. Loudly logged at start. */
public final class NoAuthenticator implements Authenticator {
    private final Principal root;

    public NoAuthenticator(RegistryId defaultAccount) {
        this.root = Principal.root(defaultAccount, null);
    }

    @Override
    public boolean enabled() { return false; }

    @Override
    public PendingApiCall beginApiCall(ApiRequest request, String signingService) {
        return new PendingApiCall() {
            @Override public Principal finish(String payloadSha256Hex) { return root; }

            @Override public io.berth.core.model.RegistryId claimedAccount() { return root.account(); }
        };
    }

    @Override
    public Optional<Principal> authenticateRegistry(String authorizationHeader, String region) {
        return Optional.of(root);
    }
}
