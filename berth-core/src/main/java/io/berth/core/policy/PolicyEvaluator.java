package io.berth.core.policy;

import io.berth.core.auth.Principal;

import java.util.List;
import java.util.Optional;

/**
 * Decides a request the way AWS documents it (IAM user guide: "Policy evaluation logic", "Policy evaluation for
 * requests within a single account", "Cross-account policy evaluation logic"), for the two policy types Berth has:
 * identity policies of IAM users, and the resource side made of the repository policy and the registry policy.
 *
 * <ol>
 *   <li><b>Explicit deny wins.</b> A matching Deny in any identity policy, the repository policy or the registry policy
 *       decides EXPLICIT_DENY. Resource-policy denies bind the root user too: root is exempt only from needing an
 *       Allow, not from resource-based policies (the IAM root user guidance notes that resource-based policies and
 *       SCPs can restrict the root user; identity policies cannot be attached to it).</li>
 *   <li><b>Resource side.</b> ECR registry permissions with scope V2 are enforced on every ECR request; Berth treats
 *       the registry policy as a second resource policy: an Allow in either the registry or the repository policy is
 *       the resource-side allow, and a Deny in either wins (step 1). The ECR user guide's "if an IAM entity has more
 *       permissions granted by an IAM policy than the registry permissions policy is granting, the IAM policy takes
 *       precedence" is the same-account union below.</li>
 *   <li><b>Same account</b> (caller's account == resource account): the union. The root user is allowed
 *       (implicit full permissions); a user is allowed by an identity-policy Allow, or by a resource-side Allow that
 *       names the user (its ARN, or {@code *}). An Allow naming only the account delegates to the account's
 *       administrator and does not by itself grant the user anything (IAM Principal page, AWS account principals).</li>
 *   <li><b>Cross account</b>: both sides must allow. The caller's identity side is an identity-policy Allow, or
 *       implicit for a root caller; the resource side is a resource-side Allow naming the caller, its account or
 *       {@code *}.</li>
 *   <li><b>Anonymous</b> callers have no identity policies (any passed are ignored) and are allowed only by a
 *       resource-side Allow with Principal {@code "*"} or {@code {"AWS": "*"}}.</li>
 * </ol>
 *
 * <p>Server usage: for an ECR JSON action use {@code ecr:<Action>} and the repository ARN ({@code *} for account-level
 * actions such as GetAuthorizationToken). For {@code /v2/} map to the ECR action ECR's own proxy uses: manifest
 * GET/HEAD → {@code ecr:BatchGetImage}, blob GET → {@code ecr:GetDownloadUrlForLayer}, blob HEAD →
 * {@code ecr:BatchCheckLayerAvailability}, upload POST → {@code ecr:InitiateLayerUpload}, PATCH →
 * {@code ecr:UploadLayerPart}, PUT → {@code ecr:CompleteLayerUpload}, manifest PUT → {@code ecr:PutImage},
 * manifest DELETE → {@code ecr:BatchDeleteImage}, tags/list → {@code ecr:ListImages}, {@code _catalog} →
 * {@code ecr:DescribeRepositories}. A cross-repository blob mount needs {@code ecr:BatchGetImage}-family read on the
 * source and the upload actions on the target: evaluate each.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {}

    public static Decision evaluate(RequestContext ctx, List<PolicyDocument> identityPolicies,
                                    Optional<PolicyDocument> resourcePolicy, Optional<PolicyDocument> registryPolicy) {
        Principal caller = ctx.principal();
        boolean anonymous = caller.isAnonymous();
        List<PolicyDocument> identities = anonymous ? List.of() : identityPolicies;
        PolicyDocument repo = resourcePolicy.orElse(null);
        PolicyDocument registry = registryPolicy.orElse(null);

        // Step 1: explicit deny anywhere.
        for (int p = 0; p < identities.size(); p++) {
            Decision d = find(identities.get(p), ctx, false, Decision.Source.IDENTITY_POLICY, p, false);
            if (d != null) {
                return d;
            }
        }
        Decision deny = find(repo, ctx, false, Decision.Source.REPOSITORY_POLICY, -1, false);
        if (deny == null) {
            deny = find(registry, ctx, false, Decision.Source.REGISTRY_POLICY, -1, false);
        }
        if (deny != null) {
            return deny;
        }

        boolean sameAccount = !anonymous && caller.account().sameAccount(ctx.resourceAccount());
        boolean root = caller.kind() == Principal.Kind.ROOT;
        if (sameAccount && root) {
            return Decision.ROOT;
        }
        // Resource side: a direct grant (names the caller or "*") or, when accounts may delegate, an account grant.
        boolean accountGrantCounts = !sameAccount && !anonymous;
        Decision resourceAllow = find(repo, ctx, true, Decision.Source.REPOSITORY_POLICY, -1, accountGrantCounts);
        if (resourceAllow == null) {
            resourceAllow = find(registry, ctx, true, Decision.Source.REGISTRY_POLICY, -1, accountGrantCounts);
        }
        if (anonymous) {
            return resourceAllow != null ? resourceAllow : Decision.IMPLICIT_DENY;
        }
        if (sameAccount && resourceAllow != null) {
            return resourceAllow;
        }
        Decision identityAllow = root ? Decision.ROOT : null;
        for (int p = 0; p < identities.size() && identityAllow == null; p++) {
            identityAllow = find(identities.get(p), ctx, true, Decision.Source.IDENTITY_POLICY, p, false);
        }
        if (sameAccount) {
            return identityAllow != null ? identityAllow : Decision.IMPLICIT_DENY;
        }
        return identityAllow != null && resourceAllow != null ? resourceAllow : Decision.IMPLICIT_DENY;
    }

    /**
     * The first statement of {@code doc} with the wanted effect that applies to the request, or null. For Allow in
     * a resource policy, a statement that reaches the caller only through its account counts when
     * {@code accountGrantCounts} (cross-account delegation); for Deny any principal match counts.
     */
    private static Decision find(PolicyDocument doc, RequestContext ctx, boolean allow, Decision.Source source,
                                 int policyIndex, boolean accountGrantCounts) {
        if (doc == null) {
            return null;
        }
        List<Statement> statements = doc.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.allow() != allow) {
                continue;
            }
            PrincipalSpec.Match m = s.principalMatch(ctx);
            boolean principalOk = m == PrincipalSpec.Match.DIRECT
                    || (m == PrincipalSpec.Match.ACCOUNT && (!allow || accountGrantCounts));
            if (principalOk && s.applies(ctx)) {
                return new Decision(allow ? Decision.Outcome.ALLOW : Decision.Outcome.EXPLICIT_DENY, source,
                        policyIndex, s.index(), s.sid());
            }
        }
        return null;
    }
}
