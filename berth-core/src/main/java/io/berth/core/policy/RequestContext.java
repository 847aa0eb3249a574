package io.berth.core.policy;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a policy can look at for one request (IAM "Policy evaluation logic", step 2: the request context).
 *
 * @param principal       who asks; {@link Principal#ANONYMOUS} for unauthenticated {@code /v2/} pulls
 * @param action          the IAM action, e.g. {@code ecr:BatchGetImage}; stored in lower case because IAM matches
 *                        action names case-insensitively (IAM "Action" element page)
 * @param resourceArn     {@code arn:aws:ecr:<region>:<account>:repository/<name>}, or {@code *} for actions without
 *                        a resource (e.g. {@code ecr:GetAuthorizationToken}), which only {@code "Resource": "*"} matches
 * @param resourceAccount the account (registry) that owns the resource; decides same- vs cross-account evaluation
 * @param resourceTags    the repository's tags ({@code ecr:ResourceTag/<key>}, {@code aws:ResourceTag/<key>})
 * @param requestTags     tags the request sets ({@code aws:RequestTag/<key>}, {@code aws:TagKeys})
 * @param sourceIp        the client address ({@code aws:SourceIp}); null when unknown, which makes the key absent
 * @param secureTransport whether the request came over TLS ({@code aws:SecureTransport})
 * @param currentTime     {@code aws:CurrentTime} and {@code aws:EpochTime}
 */
public record RequestContext(Principal principal, String action, String resourceArn, RegistryId resourceAccount,
                             Map<String, String> resourceTags, Map<String, String> requestTags, InetAddress sourceIp,
                             boolean secureTransport, Instant currentTime) {

    public RequestContext {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceArn, "resourceArn");
        Objects.requireNonNull(resourceAccount, "resourceAccount");
        Objects.requireNonNull(currentTime, "currentTime");
        action = action.toLowerCase(Locale.ROOT);
        resourceTags = resourceTags == null ? Map.of() : Map.copyOf(resourceTags);
        requestTags = requestTags == null ? Map.of() : Map.copyOf(requestTags);
    }

    /** The ARN of an ECR repository, as the server should pass it in {@link #resourceArn()}. */
    public static String repositoryArn(String region, RegistryId account, String repositoryName) {
        return "arn:aws:ecr:" + region + ":" + account.value() + ":repository/" + repositoryName;
    }

    /** A copy for another action on the same resource (e.g. the several actions of one {@code /v2/} upload). */
    public RequestContext withAction(String newAction) {
        return new RequestContext(principal, newAction, resourceArn, resourceAccount, resourceTags, requestTags,
                sourceIp, secureTransport, currentTime);
    }

    /** Tag lookup by key, ignoring case as IAM does for condition key names (tag keys included). */
    static String tag(Map<String, String> tags, String key) {
        if (tags.isEmpty()) {
            return null;
        }
        String exact = tags.get(key);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }
}
