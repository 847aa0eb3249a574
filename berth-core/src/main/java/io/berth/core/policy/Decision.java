package io.berth.core.policy;

/**
 * The outcome of {@link PolicyEvaluator#evaluate} and what decided it, for audit logs and error messages.
 *
 * @param policyIndex    the index into the identity-policy list for {@link Source#IDENTITY_POLICY}, else -1
 * @param statementIndex the deciding statement's position in its document (from 0), or -1
 * @param sid            the deciding statement's Sid, or null
 */
public record Decision(Outcome outcome, Source source, int policyIndex, int statementIndex, String sid) {

    public enum Outcome { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** Where the deciding statement lives; {@link #ROOT_USER} is the root's implicit permission on its account. */
    public enum Source { IDENTITY_POLICY, REPOSITORY_POLICY, REGISTRY_POLICY, ROOT_USER, NONE }

    /** No statement allowed the request (IAM: "implicit deny"). */
    public static final Decision IMPLICIT_DENY = new Decision(Outcome.IMPLICIT_DENY, Source.NONE, -1, -1, null);

    static final Decision ROOT = new Decision(Outcome.ALLOW, Source.ROOT_USER, -1, -1, null);

    public boolean allowed() { return outcome == Outcome.ALLOW; }

    /** E.g. {@code explicit deny by statement 'DenyPush' (#2) of the repository policy}. */
    public String describe() {
        String what = switch (outcome) {
            case ALLOW -> "allowed";
            case EXPLICIT_DENY -> "explicit deny";
            case IMPLICIT_DENY -> "implicit deny";
        };
        return switch (source) {
            case NONE -> what + ": no policy statement allows the request";
            case ROOT_USER -> what + " for the account's root user";
            default -> what + " by " + (sid != null && !sid.isEmpty() ? "statement '" + sid + "' (#" : "statement (#")
                    + (statementIndex + 1) + ") of " + switch (source) {
                        case IDENTITY_POLICY -> "identity policy #" + (policyIndex + 1);
                        case REPOSITORY_POLICY -> "the repository policy";
                        default -> "the registry policy";
                    };
        };
    }
}
