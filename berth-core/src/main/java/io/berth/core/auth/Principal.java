package io.berth.core.auth;

import io.berth.core.model.RegistryId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The root or IAM user an ARN names, re-resolved outside a request (a job acting for the principal of an
     * event); empty for anything else (anonymous, a service, a malformed ARN). No access key is known.
     */
    public static Optional<Principal> fromArn(String arn) {
        Matcher m = arn == null ? null : ARN.matcher(arn);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        RegistryId account = new RegistryId(m.group(1));
        return Optional.of(m.group(2) == null ? root(account, null) : user(account, m.group(2), null));
    }

    private static final Pattern ARN = Pattern.compile(
            "arn:aws:iam::([0-9]{12}):(?:root|user/([\\w+=,.@-]{1,64}))");
}
