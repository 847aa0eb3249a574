package io.berth.core.auth;

import io.berth.core.model.RegistryId;

/**
 * Who made a request: an account's root, an IAM user of an account, or nobody (anonymous). Every request carries
 * one; services use {@link #account()} as the registry the caller owns.
 *
 * @param arn         {@code arn:aws:iam::<account>:root} or {@code arn:aws:iam::<account>:user/<name>}; null for
 *                    anonymous
 * @param userName    the IAM user name, null for root and anonymous
 * @param accessKeyId the access key the request was signed with (or the token was issued for), when known
 */
public record Principal(Kind kind, RegistryId account, String arn, String userName, String accessKeyId) {

    public enum Kind { ROOT, USER, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, null, null, null, null);

    public static Principal root(RegistryId account, String accessKeyId) {
        return new Principal(Kind.ROOT, account, "arn:aws:iam::" + account + ":root", null, accessKeyId);
    }

    public static Principal user(RegistryId account, String userName, String accessKeyId) {
        return new Principal(Kind.USER, account, "arn:aws:iam::" + account + ":user/" + userName, userName,
                accessKeyId);
    }

    public boolean isAnonymous() { return kind == Kind.ANONYMOUS; }
}
