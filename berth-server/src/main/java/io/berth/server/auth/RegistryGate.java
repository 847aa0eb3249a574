package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;

/**
 * The {@code /v2/} door: who is asking, which account's registry the request addresses, and whether they may.
 * The Host name selects the registry as in ECR ({@code <12 digits>.dkr.ecr.<region>.amazonaws.com}); any other host
 * means the default account. Until access policies exist, a principal has full access to its own account's
 * repositories and none to another's.
 */
public final class RegistryGate {
    private final Authenticator authenticator;
    private final RegistryId defaultAccount;

    public RegistryGate(Authenticator authenticator, RegistryId defaultAccount) {
        this.authenticator = authenticator;
        this.defaultAccount = defaultAccount;
    }

    /** Who a {@code /v2/} request is from (anonymous under {@code --insecure-no-auth}) and the registry it uses. */
    public record Admission(RegistryId registry, Principal principal) {}

    /**
     * The registry the request may use. Throws UNAUTHORIZED without (or with invalid) credentials and DENIED for a
     * principal of another account.
     */
    public RegistryId admit(String authorizationHeader, String host) {
        return admission(authorizationHeader, host).registry();
    }

    /** As {@link #admit}, also naming the principal (for the audit trail). */
    public Admission admission(String authorizationHeader, String host) {
        RegistryId registry = registryOf(host);
        if (!authenticator.enabled()) {
            return new Admission(registry, Principal.ANONYMOUS); // --insecure-no-auth: open, every account's
        }
        Principal p = authenticator.authenticateRegistry(authorizationHeader).orElseThrow(() ->
                new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required"));
        if (!registry.equals(p.account())) {
            throw new DeniedException(p, registry);
        }
        return new Admission(registry, p);
    }

    /** DENIED that remembers who was denied, so the audit trail can name them. */
    public static final class DeniedException extends RegistryException {
        private final transient Principal principal;

        DeniedException(Principal principal, RegistryId registry) {
            super(ErrorCode.DENIED, "principal " + principal.arn() + " has no access to registry " + registry);
            this.principal = principal;
        }

        public Principal principal() { return principal; }
    }

    /** The account named by a {@code <12 digits>.} host prefix, else the default account. Allocation-free miss. */
    public RegistryId registryOf(String host) {
        if (host != null && host.length() > 12 && host.charAt(12) == '.') {
            for (int i = 0; i < 12; i++) {
                char c = host.charAt(i);
                if (c < '0' || c > '9') {
                    return defaultAccount;
                }
            }
            return new RegistryId(host.substring(0, 12));
        }
        return defaultAccount;
    }

    public RegistryId defaultAccount() { return defaultAccount; }
}
