package io.berth.core.policy;

import io.berth.core.auth.Principal;

import java.util.Locale;

/**
 * A supported condition key, as written in a policy ({@code name}), with its tag part for the tag keys. Key names
 * match case-insensitively ("Condition key names are not case-sensitive", IAM Condition element page). The set is
 * deliberately small: every key Berth can fill from a request. An unknown key is refused, not treated as absent,
 * because a typo in a Deny condition would otherwise silently disable the Deny.
 */
record ContextKey(Name name, String tag, String written) {

    enum Type { STRING, ARN, IP, BOOL, DATE, EPOCH }

    enum Name {
        PRINCIPAL_ACCOUNT("aws:principalaccount", Type.STRING),
        PRINCIPAL_ARN("aws:principalarn", Type.ARN),
        PRINCIPAL_TYPE("aws:principaltype", Type.STRING),
        SOURCE_IP("aws:sourceip", Type.IP),
        SECURE_TRANSPORT("aws:securetransport", Type.BOOL),
        CURRENT_TIME("aws:currenttime", Type.DATE),
        EPOCH_TIME("aws:epochtime", Type.EPOCH),
        USERNAME("aws:username", Type.STRING),
        USERID("aws:userid", Type.STRING),
        ECR_RESOURCE_TAG("ecr:resourcetag/", Type.STRING),
        AWS_RESOURCE_TAG("aws:resourcetag/", Type.STRING),
        REQUEST_TAG("aws:requesttag/", Type.STRING),
        TAG_KEYS("aws:tagkeys", Type.STRING);

        final String lower;
        final Type type;

        Name(String lower, Type type) {
            this.lower = lower;
            this.type = type;
        }

        boolean isTagPrefix() { return lower.endsWith("/"); }
    }

    /** The key named by {@code written}, or null when Berth does not know it. */
    static ContextKey parse(String written) {
        String lower = written.toLowerCase(Locale.ROOT);
        for (Name n : Name.values()) {
            if (n.isTagPrefix()) {
                if (lower.startsWith(n.lower) && lower.length() > n.lower.length()) {
                    return new ContextKey(n, written.substring(n.lower.length()), written);
                }
            } else if (lower.equals(n.lower)) {
                return new ContextKey(n, null, written);
            }
        }
        return null;
    }

    Type type() { return name.type; }

    /** {@code aws:TagKeys} is the only multivalued key Berth supports (IAM global condition keys page). */
    boolean multiValued() { return name == Name.TAG_KEYS; }

    /** Whether the key is present in the request context (for {@code Null}, {@code IfExists}). */
    boolean present(RequestContext ctx) {
        return switch (name) {
            case SOURCE_IP -> ctx.sourceIp() != null;
            case SECURE_TRANSPORT, CURRENT_TIME, EPOCH_TIME -> true;
            case TAG_KEYS -> !ctx.requestTags().isEmpty();
            default -> stringValue(ctx) != null;
        };
    }

    /**
     * The value of a single-valued string-typed key, or null when absent. Anonymous callers have no principal keys
     * except {@code aws:PrincipalType = Anonymous} and {@code aws:userid = anonymous} (IAM global condition keys).
     * Berth has no IAM unique IDs, so {@code aws:userid} is the user name for users and the account ID for roots.
     */
    String stringValue(RequestContext ctx) {
        Principal p = ctx.principal();
        return switch (name) {
            case PRINCIPAL_ACCOUNT -> p.isAnonymous() ? null : p.account().value();
            case PRINCIPAL_ARN -> p.isAnonymous() ? null : p.arn();
            case PRINCIPAL_TYPE -> switch (p.kind()) {
                case ROOT -> "Account";
                case USER -> "User";
                case ANONYMOUS -> "Anonymous";
            };
            case USERNAME -> p.kind() == Principal.Kind.USER ? p.userName() : null;
            case USERID -> switch (p.kind()) {
                case ROOT -> p.account().value();
                case USER -> p.userName();
                case ANONYMOUS -> "anonymous";
            };
            case ECR_RESOURCE_TAG, AWS_RESOURCE_TAG -> RequestContext.tag(ctx.resourceTags(), tag);
            case REQUEST_TAG -> RequestContext.tag(ctx.requestTags(), tag);
            case SOURCE_IP -> ctx.sourceIp() == null ? null : ctx.sourceIp().getHostAddress();
            case SECURE_TRANSPORT -> Boolean.toString(ctx.secureTransport());
            case CURRENT_TIME -> ctx.currentTime().toString();
            case EPOCH_TIME -> Long.toString(ctx.currentTime().getEpochSecond());
            case TAG_KEYS -> null;
        };
    }
}
