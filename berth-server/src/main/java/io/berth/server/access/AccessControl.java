package io.berth.server.access;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.policy.Decision;
import io.berth.core.policy.PolicyDocument;
import io.berth.core.policy.PolicyEvaluator;
import io.berth.core.policy.RequestContext;
import io.berth.core.service.KnownAccounts;
import io.berth.core.spi.meta.MetadataStore;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a principal may perform an ECR action on a repository (or on an account, for account-level
 * actions), for both planes, with {@link PolicyEvaluator} over the policies in {@link PolicyCache}.
 *
 * <p>Fast path: an account without repository or registry policies and a caller that is that account's root is
 * allowed without building a request context (the root needs no Allow, and only resource policies can deny it).
 *
 * <p>An account that does not exist has no policies that could grant anything, so a request to it is an implicit
 * deny, decided before anything is cached for the ID: the same 403 (401 for anonymous callers) and the same message as
 * for an existing account that grants nothing, as in ECR, which never reveals whether an account exists.
 */
public final class AccessControl {
    /** Where the request came from, for {@code aws:SourceIp} and {@code aws:SecureTransport}. */
    public record Origin(InetAddress sourceIp, boolean secure) {
        public static final Origin UNKNOWN = new Origin(null, false);
    }

    private final PolicyCache cache;
    private final MetadataStore store;
    private final String region;
    private final Clock clock;
    private final KnownAccounts accounts;

    /** @param region used in repository ARNs on both planes, so one policy reads the same on each */
    public AccessControl(PolicyCache cache, MetadataStore store, String region, Clock clock) {
        this(cache, store, region, clock, new KnownAccounts(store));
    }

    /** @param accounts which accounts exist (share the registry services' instance) */
    public AccessControl(PolicyCache cache, MetadataStore store, String region, Clock clock, KnownAccounts accounts) {
        this.accounts = accounts;
        this.cache = cache;
        this.store = store;
        this.region = region;
        this.clock = clock;
    }

    public String region() { return region; }

    /** {@code arn:aws:ecr:<region>:<account>:repository/<name>}, or {@code *} for account-level actions. */
    public String resourceArn(RegistryId account, String repository) {
        return repository == null ? "*"
                : RequestContext.repositoryArn(account.region() != null ? account.region() : region, account, repository);
    }

    /** @param repository null for account-level actions (GetAuthorizationToken, registry policy, settings) */
    public boolean allowed(Principal p, String action, RegistryId account, String repository, Origin origin) {
        return decide(p, action, account, repository, origin, null).allowed();
    }

    /**
     * Whether {@code p} may perform a non-ECR {@code action} on {@code resourceArn} (a Signer profile) of its own
     * account, by its identity policies alone: such resources have no resource policies here, so another account's
     * principal never may, and an account's root always may.
     */
    public boolean allowedOnResource(Principal p, String action, RegistryId account, String resourceArn) {
        if (p.isAnonymous() || !account.sameAccount(p.account())) {
            return false;
        }
        if (p.kind() == Principal.Kind.ROOT) {
            return true;
        }
        RequestContext ctx = new RequestContext(p, action, resourceArn, account, Map.of(), Map.of(), null, false,
                clock.instant());
        return PolicyEvaluator.evaluate(ctx, cache.identityPolicies(p), Optional.empty(), Optional.empty())
                .allowed();
    }

    /**
     * Throws unless allowed: DENIED with AWS's message naming principal, action and resource; UNAUTHORIZED for an
     * anonymous caller, so clients that have credentials are asked for them. The message is the same whether or
     * not the repository exists, so a denied caller learns nothing about another account's repositories.
     */
    public void require(Principal p, String action, RegistryId account, String repository, Origin origin) {
        Decision d = decide(p, action, account, repository, origin, null);
        if (d.allowed()) {
            return;
        }
        if (p.isAnonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required");
        }
        throw new RegistryException(ErrorCode.DENIED, deniedMessage(p, action, resourceArn(account, repository), d,
                account));
    }

    /**
     * The decision with {@code proposed} in place of the stored repository policy: SetRepositoryPolicy's lock-out
     * check ("would the caller still be allowed to set a policy under the new one?").
     */
    public Decision decideWith(Principal p, String action, RegistryId account, String repository,
                               PolicyDocument proposed) {
        return decide(p, action, account, repository, Origin.UNKNOWN, proposed);
    }

    /** @param proposed evaluated instead of the stored repository policy when not null */
    private Decision decide(Principal p, String action, RegistryId account, String repository, Origin origin,
                            PolicyDocument proposed) {
        // the caller's own account exists (it authenticated there); any other is looked up before it is cached
        if (!account.sameAccount(p.account()) && !accounts.exists(account)) {
            return NO_SUCH_ACCOUNT;
        }
        PolicyCache.AccountView view = cache.account(account);
        boolean ownRoot = p.kind() == Principal.Kind.ROOT && account.sameAccount(p.account());
        if (ownRoot && proposed == null && !view.hasResourcePolicies()) {
            return ROOT_FAST;
        }
        List<PolicyDocument> identity = cache.identityPolicies(p);
        Optional<PolicyDocument> repoPolicy = proposed != null ? Optional.of(proposed)
                : repository == null ? Optional.empty() : cache.repositoryPolicy(account, repository);
        // under scope V1 the registry policy governs only the three replication / pull-through actions
        Optional<PolicyDocument> registryPolicy = view.scopeV1()
                && !Policies.V1_ACTIONS.contains(action.toLowerCase(Locale.ROOT)) ? Optional.empty()
                : view.registryPolicy();
        Map<String, String> tags = repository != null && readsTags(identity, repoPolicy, registryPolicy)
                ? tags(account, repository) : Map.of();
        RequestContext ctx = new RequestContext(p, action, resourceArn(account, repository), account, tags, Map.of(),
                origin.sourceIp(), origin.secure(), clock.instant());
        return PolicyEvaluator.evaluate(ctx, identity, repoPolicy, registryPolicy);
    }

    private static final Decision NO_SUCH_ACCOUNT = new Decision(Decision.Outcome.IMPLICIT_DENY,
            Decision.Source.NONE, -1, -1, null);

    private static final Decision ROOT_FAST = new Decision(Decision.Outcome.ALLOW, Decision.Source.ROOT_USER, -1, -1,
            null);

    private static boolean readsTags(List<PolicyDocument> identity, Optional<PolicyDocument> repo,
                                     Optional<PolicyDocument> registry) {
        for (PolicyDocument d : identity) {
            if (d.mayReadResourceTags()) {
                return true;
            }
        }
        return repo.map(PolicyDocument::mayReadResourceTags).orElse(false)
                || registry.map(PolicyDocument::mayReadResourceTags).orElse(false);
    }

    /** The repository's resource tags; none for a repository that does not exist (it is not revealed). */
    private Map<String, String> tags(RegistryId account, String repository) {
        RepositoryName name = RepositoryName.of(repository);
        return store.read(tx -> tx.repositories().get(account, name)
                .map(r -> tx.repositories().resourceTags(r.id())).orElse(Map.of()));
    }

    /**
     * AWS's wording: {@code User: <arn> is not authorized to perform: <action> on resource: <arn>} followed by
     * {@code with an explicit deny in a(n) identity-based / resource-based policy} or {@code because no
     * identity-based / resource-based policy allows the <action> action}.
     */
    String deniedMessage(Principal p, String action, String resource, Decision d, RegistryId account) {
        String head = "User: " + p.arn() + " is not authorized to perform: " + action + " on resource: " + resource;
        if (d.outcome() == Decision.Outcome.EXPLICIT_DENY) {
            return head + (d.source() == Decision.Source.IDENTITY_POLICY
                    ? " with an explicit deny in an identity-based policy"
                    : " with an explicit deny in a resource-based policy");
        }
        boolean crossAccount = !account.sameAccount(p.account());
        boolean hasIdentityAllowSide = p.kind() == Principal.Kind.ROOT || !cache.identityPolicies(p).isEmpty();
        String missing = crossAccount && hasIdentityAllowSide ? "resource-based" : "identity-based";
        return head + " because no " + missing + " policy allows the " + action + " action";
    }
}
