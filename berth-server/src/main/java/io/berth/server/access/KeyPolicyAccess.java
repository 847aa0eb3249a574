package io.berth.server.access;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.kms.KeyAccess;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.Decision;
import io.berth.core.policy.PolicyDocument;
import io.berth.core.policy.PolicyEvaluator;
import io.berth.core.policy.PolicyKind;
import io.berth.core.policy.PolicyParser;
import io.berth.core.policy.RequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key service's authorization on the IAM policy engine: the caller's identity policies and the key's policy
 * as the resource policy, evaluated as for a repository. KMS's default key policy grants the account, which
 * delegates to IAM: the account's root may use the key, and a user may when an identity policy allows it.
 */
public final class KeyPolicyAccess implements KeyAccess {
    private static final PolicyParser KEY_POLICY = new PolicyParser(PolicyKind.KEY, "Policy", 32_768);

    private final PolicyCache cache;
    private final Clock clock;

    public KeyPolicyAccess(PolicyCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public void require(Principal p, String action, RegistryId account, String resourceArn, String keyPolicy) {
        if (p.isAnonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required");
        }
        Optional<PolicyDocument> policy = keyPolicy == null ? Optional.empty()
                : Optional.of(KEY_POLICY.parse(keyPolicy));
        List<PolicyDocument> identity = cache.identityPolicies(p);
        RequestContext ctx = new RequestContext(p, action, resourceArn, account, Map.of(), Map.of(), null, false,
                clock.instant());
        // the key's registry is regional, the principal's account is not: compare accounts
        boolean ownRoot = p.kind() == Principal.Kind.ROOT && account.sameAccount(p.account());
        Decision d = keyPolicy == null && ownRoot ? null : PolicyEvaluator.evaluate(ctx, identity, policy,
                Optional.empty());
        if (d == null || d.allowed()) {
            return;
        }
        throw new RegistryException(ErrorCode.DENIED, "User: " + p.arn() + " is not authorized to perform: "
                + action + " on resource: " + resourceArn + (d.outcome() == Decision.Outcome.EXPLICIT_DENY
                ? " with an explicit deny" : " because no " + (keyPolicy == null ? "identity-based" : "resource-based")
                + " policy allows the " + action + " action"));
    }
}
