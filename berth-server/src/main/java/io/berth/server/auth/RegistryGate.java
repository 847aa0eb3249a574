package io.berth.server.auth;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.service.KnownAccounts;
import io.berth.server.access.AccessControl;
import io.berth.server.access.AccessControl.Origin;
import io.berth.server.config.RegionsConfig;

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
    private RegionsConfig regions = RegionsConfig.single("us-east-1");

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

    /**
     * Serve these regions: a host selects one by {@code registry.region-hosts} or by spelling
     * {@code <account>.dkr.ecr.<region>.…}; any other host means the default region.
     */
    public RegistryGate withRegions(RegionsConfig regions) {
        this.regions = regions;
        return this;
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
        Principal p = authenticator.authenticateRegistry(authorizationHeader, regions.regions().nameOf(registry))
                .orElse(Principal.ANONYMOUS);
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

    /**
     * The registry a host names: the account of a {@code <12 digits>.} prefix (else the default account) in the
     * region of {@code registry.region-hosts} or of {@code <account>.dkr.ecr.<region>.} (else the default region).
     * NAME_UNKNOWN for a region this deployment does not serve. Allocation-free for a plain host and no regions.
     */
    public RegistryId registryOf(String host) {
        RegistryId account = accountOf(host);
        String region = regionOf(host);
        return region == null ? account : regions.regions().registry(account, region);
    }

    /** The account of a {@code <12 digits>.} host prefix, else the default account (any region; never throws). */
    public RegistryId accountOf(String host) {
        RegistryId account = defaultAccount;
        if (host != null && host.length() > 12 && host.charAt(12) == '.') {
            boolean digits = true;
            for (int i = 0; i < 12 && digits; i++) {
                char c = host.charAt(i);
                digits = c >= '0' && c <= '9';
            }
            if (digits) {
                account = new RegistryId(host.substring(0, 12));
            }
        }
        return account;
    }

    private static final String ECR_HOST_PART = ".dkr.ecr.";

    /** The region a host selects, or null for the default. */
    private String regionOf(String host) {
        if (host == null || (regions.regionHosts().isEmpty() && regions.regions().served().size() == 1
                && !host.contains(ECR_HOST_PART))) {
            return null;
        }
        String name = host.toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            name = close < 0 ? name : name.substring(0, close + 1); // [::1]:5000 -> [::1]
        } else if (name.indexOf(':') > 0) {
            name = name.substring(0, name.indexOf(':')); // host:port
        }
        String mapped = regions.regionHosts().get(name);
        if (mapped != null) {
            return mapped;
        }
        int ecr = name.indexOf(ECR_HOST_PART);
        if (ecr != 12) {
            return null;
        }
        int start = ecr + ECR_HOST_PART.length();
        int end = name.indexOf('.', start);
        String region = name.substring(start, end < 0 ? name.length() : end);
        if (!regions.regions().serves(region)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "this deployment does not serve region " + region
                    + " (it serves " + regions.regions().served() + ")");
        }
        return region;
    }

    public RegistryId defaultAccount() { return defaultAccount; }
}
