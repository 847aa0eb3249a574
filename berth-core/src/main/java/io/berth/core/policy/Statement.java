package io.berth.core.policy;

import java.util.List;

/**
 * One compiled statement.
 *
 * @param index      position in the document, from 0
 * @param principal  null in identity policies, where the principal is the identity the policy is attached to
 * @param actions    lower-case action patterns (the request action is lower-cased once in {@link RequestContext})
 * @param resources  null when the element is omitted in a resource policy: it then means the resource (or the
 *                   registry) the policy is attached to, so it matches every request that reaches the policy
 */
record Statement(int index, String sid, boolean allow, PrincipalSpec principal, boolean notPrincipal,
                 List<Glob> actions, boolean notAction, List<ArnPattern> resources, boolean notResource,
                 List<Condition> conditions) {

    /** How the caller matches Principal/NotPrincipal; identity statements always match their own identity. */
    PrincipalSpec.Match principalMatch(RequestContext ctx) {
        if (principal == null) {
            return PrincipalSpec.Match.DIRECT;
        }
        if (notPrincipal) {
            return principal.excludes(ctx.principal()) ? PrincipalSpec.Match.NONE : PrincipalSpec.Match.DIRECT;
        }
        return principal.match(ctx.principal());
    }

    /** Action, Resource and Condition all match (IAM: the statement applies only if every element matches). */
    boolean applies(RequestContext ctx) {
        return actionMatches(ctx.action()) && resourceMatches(ctx) && conditionsHold(ctx);
    }

    private boolean actionMatches(String action) {
        boolean any = false;
        for (int i = 0; i < actions.size() && !any; i++) {
            any = actions.get(i).matches(action);
        }
        return any != notAction;
    }

    private boolean resourceMatches(RequestContext ctx) {
        if (resources == null) {
            return true;
        }
        boolean any = false;
        for (int i = 0; i < resources.size() && !any; i++) {
            any = resources.get(i).matches(ctx, ctx.resourceArn());
        }
        return any != notResource;
    }

    private boolean conditionsHold(RequestContext ctx) {
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).test(ctx)) {
                return false;
            }
        }
        return true;
    }

    /** {@code statement 'Sid'} or {@code statement #3} (1-based) for messages. */
    String label() {
        return sid != null && !sid.isEmpty() ? "statement '" + sid + "'" : "statement #" + (index + 1);
    }
}
