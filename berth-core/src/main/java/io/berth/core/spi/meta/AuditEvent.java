package io.berth.core.spi.meta;

import io.berth.core.auth.Principal;
import java.time.Instant;

/**
 * One audited request, shaped like a CloudTrail record so the names mean what AWS users expect. It is the row
 * {@link AuditStore} keeps, so the SPI owns it and the audit package (which writes through the SPI) depends on it,
 * never the reverse. Pulls are never events (they are counted, see {@code io.berth.core.audit.PullCounts});
 * pushes, deletes, every ECR API call, every denial and every admin change are.
 *
 * @param eventName         the operation, ECR-style ({@code PutImage}); /v2 requests are mapped to ECR names
 * @param eventSource       {@link #SOURCE_ECR}, {@link #SOURCE_REGISTRY}, {@link #SOURCE_STS},
 *                          {@link #SOURCE_SECRETS_MANAGER} or {@link #SOURCE_ADMIN}
 * @param requestParameters a JSON object, already redacted (see {@code io.berth.core.audit.Redaction}); null
 *                          when the request had none or could not be parsed
 * @param responseElements  a small JSON object (digests, ids) or null
 * @param errorCode         null on success; the ECR exception name on the ECR API, the OCI code on /v2
 * @param requestId         the id the access log and the response ({@code x-amzn-RequestId}) carry
 * @param repository        the repository the request named, for filtering; null if none
 * @param registryId        the account whose resource it is (not necessarily the caller's)
 */
public record AuditEvent(Instant eventTime, String eventName, String eventSource, UserIdentity userIdentity,
                         String sourceIPAddress, String userAgent, String requestParameters, String responseElements,
                         String errorCode, String errorMessage, String requestId, String repository,
                         String registryId) {

    public static final String SOURCE_ECR = "ecr.amazonaws.com";
    public static final String SOURCE_STS = "sts.amazonaws.com";
    public static final String SOURCE_SECRETS_MANAGER = "secretsmanager.amazonaws.com";
    /** The key service (every call, as CloudTrail records KMS calls). */
    public static final String SOURCE_KMS = "kms.amazonaws.com";
    public static final String SOURCE_REGISTRY = "registry";
    public static final String SOURCE_ADMIN = "berth-admin";

    public AuditEvent {
        if (eventTime == null || eventName == null || eventSource == null || userIdentity == null) {
            throw new IllegalArgumentException("eventTime, eventName, eventSource and userIdentity are required");
        }
    }

    /**
     * Who acted. {@code type} is CloudTrail's: {@code Root}, {@code IAMUser}, {@code Anonymous} (nobody was
     * authenticated; {@code accessKeyId} is then the key the caller presented, if any) or {@code LocalAdmin} for
     * {@code berth admin} run on the host ({@code userName} is the operating-system user).
     */
    public record UserIdentity(String type, String accountId, String arn, String accessKeyId, String userName) {
        public static final UserIdentity ANONYMOUS = new UserIdentity("Anonymous", null, null, null, null);

        public static UserIdentity of(Principal p) {
            if (p == null || p.isAnonymous()) {
                return ANONYMOUS;
            }
            return new UserIdentity(p.kind() == Principal.Kind.ROOT ? "Root" : "IAMUser",
                    p.account() == null ? null : p.account().value(), p.arn(), p.accessKeyId(), p.userName());
        }

        /** Unauthenticated, but with the access key the request presented (a forged or revoked one). */
        public static UserIdentity presented(String accessKeyId) {
            return accessKeyId == null ? ANONYMOUS : new UserIdentity("Anonymous", null, null, accessKeyId, null);
        }

        public static UserIdentity localAdmin(String osUser) {
            return new UserIdentity("LocalAdmin", null, null, null, osUser);
        }
    }

    /** True when the request failed (denied, invalid, not found...). */
    public boolean failed() { return errorCode != null; }
}
