package io.berth.core.signing;

import io.berth.core.model.RegistryId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signer's ARNs: a profile is {@code arn:aws:signer:<region>:<account>:/signing-profiles/<name>} and one of its
 * versions that ARN plus {@code /<version>}; a job is {@code arn:aws:signer:<region>:<account>:/signing-jobs/<id>}.
 */
public final class SigningArns {
    /** Signer's profile name rule. */
    public static final Pattern PROFILE_NAME = Pattern.compile("[a-zA-Z0-9_]{2,64}");
    private static final Pattern PROFILE_ARN = Pattern.compile(
            "arn:aws:signer:([a-z0-9-]+):([0-9]{12}):/signing-profiles/([a-zA-Z0-9_]{2,64})(?:/([a-zA-Z0-9]{10}))?");

    private SigningArns() {}

    /** A parsed profile ARN; {@code version} null for an ARN of the profile rather than one version. */
    public record ProfileArn(String region, RegistryId account, String name, String version) {}

    public static String profile(String region, RegistryId account, String name) {
        return "arn:aws:signer:" + region + ":" + account.value() + ":/signing-profiles/" + name;
    }

    public static String profileVersion(String region, RegistryId account, String name, String version) {
        return profile(region, account, name) + "/" + version;
    }

    public static String job(String region, RegistryId account, String jobId) {
        return "arn:aws:signer:" + region + ":" + account.value() + ":/signing-jobs/" + jobId;
    }

    public static Optional<ProfileArn> parseProfile(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        Matcher m = PROFILE_ARN.matcher(arn);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ProfileArn(m.group(1), new RegistryId(m.group(2)), m.group(3), m.group(4)));
    }
}
