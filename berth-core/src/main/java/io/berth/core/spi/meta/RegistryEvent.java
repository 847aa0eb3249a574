package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One observable change, as the event stream keeps it: written by the service that made the change in the same
 * transaction (a transactional outbox), so the stream holds an event exactly when the change committed.
 *
 * @param position   the stream's order over all repositories, assigned at append in commit order: a subscriber that
 *                   has seen position {@code p} has seen every event with a smaller one
 * @param sequence   1, 2, 3... per {@code (account, repository)}; per account for events of no repository. It
 *                   continues over a deleted and re-created repository of the same name
 * @param account    the registry (12-digit account) whose resource changed
 * @param region     the region this node answers for ({@code region})
 * @param repository null for account-wide changes (registry policy, account settings)
 * @param digest     the image, for image and tag events; else null
 * @param tags       the tags the event concerns (the pushed or moved tag, the tags a deleted image had); never null
 * @param principal  the ARN of who acted, {@code anonymous}, or a {@code berth:} name for the server itself
 *                   ({@code berth:gc}, {@code berth:lifecycle}, {@code berth:admin})
 * @param reason     IMAGE_DELETED: {@link DeleteReason}; SETTING_CHANGED: the {@link Setting}; IMAGE_ARCHIVED and
 *                   IMAGE_ACTIVATED: the {@link ArchiveReason}; IMAGE_SCANNED: the scan's status; else null
 * @param detail     a short free text, e.g. the digest a moved tag named before; may be null
 */
public record RegistryEvent(long position, long sequence, Type type, String account, String region,
                            String repository, Digest digest, List<String> tags, String principal, String reason,
                            String detail, Instant time) {

    public enum Type {
        IMAGE_PUSHED, TAG_CHANGED, TAG_REMOVED, IMAGE_DELETED, REPOSITORY_CREATED, REPOSITORY_DELETED,
        SETTING_CHANGED,
        /** A vulnerability scan finished; {@code reason} is its status, {@code detail} the severity counts. */
        IMAGE_SCANNED,
        /** The image went to the archive storage class ({@code reason}: {@link ArchiveReason}). */
        IMAGE_ARCHIVED,
        /** A restore from the archive began: the image is ACTIVATING until IMAGE_ACTIVATED. */
        IMAGE_ACTIVATING,
        /** The image is ACTIVE again ({@code reason}: {@link ArchiveReason}: RESTORE, or PUSH for a re-push). */
        IMAGE_ACTIVATED
    }

    /** Why an image moved between storage classes. */
    public enum ArchiveReason { USER, LIFECYCLE, RESTORE, PUSH }

    /** Why an image went: a user's delete (either API), a lifecycle policy's expiry, or garbage collection. */
    public enum DeleteReason { USER, LIFECYCLE, GC }

    /**
     * Which setting a SETTING_CHANGED event changed. ACCOUNT_SETTING is PutAccountSetting ({@code detail}
     * {@code NAME=value}); SCANNING is the registry's scanning configuration (no repository) or a repository's
     * {@code scanOnPush}.
     */
    public enum Setting {
        REPOSITORY_POLICY, REGISTRY_POLICY, ACCOUNT_SETTING, TAG_MUTABILITY, RESOURCE_TAGS, LIFECYCLE_POLICY, SCANNING
    }

    public RegistryEvent {
        if (type == null || account == null || principal == null || time == null) {
            throw new IllegalArgumentException("type, account, principal and time are required");
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An event before {@link EventStore#append} gave it a position and a sequence. */
    public static RegistryEvent unsequenced(Type type, String account, String region, String repository,
                                            Digest digest, List<String> tags, String principal, String reason,
                                            String detail, Instant time) {
        return new RegistryEvent(0, 0, type, account, region, repository, digest, tags, principal, reason, detail,
                time);
    }
}
