package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.service.KnownAccounts;
import io.berth.server.access.AccessControl;
import io.berth.server.access.AccessControl.Origin;

/**
 * The {@code /v2/} door: who is asking, which account's registry the request addresses, and whether they may.
 * The Host name selects the registry as in ECR ({@code <12 digits>.dkr.ecr.<region>.amazonaws.com}); any other host
 * means the default account. Requests without credentials pass as {@link Principal#ANONYMOUS} to policy
 * evaluation, so public repositories can be pulled with no credentials at all.
 */
public final class RegistryGate {
    /** The authenticated (or anonymous) caller and the registry its request addresses. */
    public record Caller(Principal principal, RegistryId registry) {}

    private final Authenticator authenticator;
    private final RegistryId defaultAccount;
    private final AccessControl access; // null when authentication is off: everything is allowed

    private final KnownAccounts accounts;

    public RegistryGate(Authenticator authenticator, RegistryId defaultAccount, AccessControl access) {
        this(authenticator, defaultAccount, access, null);
    }

    /**
     * @param accounts which accounts exist; without authentication a request to another account's host is answered
     *                 NAME_UNKNOWN (with authentication, access control refuses it); null: every account exists
     */
    public RegistryGate(Authenticator authenticator, RegistryId defaultAccount, AccessControl access,
                        KnownAccounts accounts) {
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.defaultAccount = defaultAccount;
        this.access = authenticator.enabled() ? access : null;
    }

    /** Whether requests are checked at all ({@code --insecure-no-auth} turns this off). */
    public boolean enabled() { return access != null; }

    /** Authenticates; throws UNAUTHORIZED only for invalid credentials (none at all is anonymous). */
    public Caller admit(String authorizationHeader, String host) {
        RegistryId registry = registryOf(host);
        if (access == null) {
            // an open registry, every existing account's; an unknown ID must not get a service of its own
            if (accounts != null && !accounts.exists(registry)) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "no registry " + registry.value()
                        + " on this server");
            }
            return new Caller(Principal.root(registry, null), registry);
        }
        Principal p = authenticator.authenticateRegistry(authorizationHeader).orElse(Principal.ANONYMOUS);
        return new Caller(p, registry);
    }

    /** Throws DENIED (UNAUTHORIZED for anonymous callers) unless the caller may perform {@code action}. */
    public void authorize(Caller caller, String action, String repository, Origin origin) {
        if (access != null) {
            access.require(caller.principal(), action, caller.registry(), repository, origin);
        }
    }

    public boolean may(Caller caller, String action, String repository, Origin origin) {
        return access == null || access.allowed(caller.principal(), action, caller.registry(), repository, origin);
    }

    /** For paths that only a known caller may use (the {@code /v2/} base check, unknown routes). */
    public void requireAuthenticated(Caller caller) {
        if (access != null && caller.principal().isAnonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required");
        }
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
