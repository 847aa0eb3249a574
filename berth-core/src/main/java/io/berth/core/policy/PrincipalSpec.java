package io.berth.core.policy;

import io.berth.core.auth.Principal;

import java.util.Set;

/**
 * The principals one Principal or NotPrincipal element names. An account (written as its 12-digit ID or as
 * {@code arn:aws:iam::<id>:root}) stands for the whole account: "Both delegate permissions to the account. Using the
 * account ARN in the Principal element does not limit permissions to only the root user of the account" (IAM
 * Principal element page, AWS account principals). {@code Service} principals are kept so documents copied from AWS
 * parse, but no Berth caller is a service, so they never match.
 */
record PrincipalSpec(boolean everyone, Set<String> accounts, Set<String> userArns, Set<String> services) {

    /** How a statement's Principal matched the caller; decides whether an Allow grants directly or delegates. */
    enum Match { NONE, ACCOUNT, DIRECT }

    Match match(Principal p) {
        if (everyone) {
            return Match.DIRECT;
        }
        if (p.isAnonymous()) {
            return Match.NONE;
        }
        if (userArns.contains(p.arn())) {
            return Match.DIRECT;
        }
        if (accounts.contains(p.account().value())) {
            // The root is the account itself; anyone else is reached only through the account's delegation.
            return p.kind() == Principal.Kind.ROOT ? Match.DIRECT : Match.ACCOUNT;
        }
        return Match.NONE;
    }

    /**
     * Whether NotPrincipal excludes {@code p}. Per the IAM NotPrincipal page, a request from an IAM user is evaluated
     * as the user and as its account, so excluding a user takes both the user ARN and the account; an account entry
     * alone excludes only the account's root, and {@code "*"} excludes everyone.
     */
    boolean excludes(Principal p) {
        if (everyone) {
            return true;
        }
        if (p.isAnonymous()) {
            return false;
        }
        boolean account = accounts.contains(p.account().value());
        return p.kind() == Principal.Kind.ROOT ? account : account && userArns.contains(p.arn());
    }
}
