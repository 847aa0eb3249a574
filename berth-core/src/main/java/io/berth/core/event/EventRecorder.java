package io.berth.core.event;

import io.berth.core.auth.Principal;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.RegistryEvent.DeleteReason;
import io.berth.core.spi.meta.RegistryEvent.Setting;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes {@link RegistryEvent}s into the transaction of the change they describe (the outbox): every write path
 * that changes something a user can observe collects its events and calls {@link #append} as the last statement of
 * its {@code metadata.write}, so the event commits or rolls back with the change, and the stream's head lock is
 * held only for the commit (see {@link io.berth.core.spi.meta.EventStore}).
 */
public final class EventRecorder {
    /** Who acted when the server itself did. */
    public static final String GC = "berth:gc";
    public static final String LIFECYCLE = "berth:lifecycle";
    public static final String SCANNER = "berth:scanner";
    /** {@code berth admin} on the host (the command runs as the operating-system user; the audit trail names it). */
    public static final String ADMIN = "berth:admin";
    public static final String ANONYMOUS = "anonymous";
    /** The restore job, finishing a restore someone asked for (their IMAGE_ACTIVATING event names them). */
    public static final String ARCHIVE = "berth:archive";

    private final String region;
    private final Clock clock;

    /** How an IMAGE_PUSHED event's detail starts when the manifest is a referrer. */
    public static final String REFERRER_PREFIX = "subject=";

    public EventRecorder(String region, Clock clock) {
        this.region = region;
        this.clock = clock;
    }

    /** The principal an event names: the caller's ARN, or {@link #ANONYMOUS}. */
    public static String actor(Principal p) {
        return p == null || p.isAnonymous() || p.arn() == null ? ANONYMOUS : p.arn();
    }

    public RegistryEvent pushed(RegistryId account, RepositoryName repo, Digest digest, Tag tag, String actor) {
        return event(Type.IMAGE_PUSHED, account, repo.value(), digest, tag == null ? List.of() : List.of(tag),
                actor, null, null);
    }

    /**
     * A referrer pushed: a manifest with a {@code subject} (a signature, an SBOM). Its detail names the subject and
     * the media types, what "ECR Referrer Action" carries ({@link #REFERRER_PREFIX}{@code <subject> <manifest media
     * type> <artifact type or ->}).
     */
    public RegistryEvent referrerPushed(RegistryId account, RepositoryName repo, Digest digest, Tag tag, String actor,
                                        Digest subject, String mediaType, String artifactType) {
        return event(Type.IMAGE_PUSHED, account, repo.value(), digest, tag == null ? List.of() : List.of(tag),
                actor, null, REFERRER_PREFIX + subject + " " + mediaType + " "
                        + (artifactType == null || artifactType.isBlank() ? "-" : artifactType));
    }

    /** A tag added ({@code previous} null) or moved from {@code previous} to {@code digest}. */
    public RegistryEvent tagChanged(RegistryId account, RepositoryName repo, Tag tag, Digest digest, Digest previous,
                                    String actor) {
        return event(Type.TAG_CHANGED, account, repo.value(), digest, List.of(tag), actor, null,
                previous == null ? null : "moved from " + previous);
    }

    public RegistryEvent tagRemoved(RegistryId account, RepositoryName repo, Tag tag, Digest digest, String actor) {
        return event(Type.TAG_REMOVED, account, repo.value(), digest, List.of(tag), actor, null, null);
    }

    /** @param tags the tags the image had when it went */
    public RegistryEvent deleted(RegistryId account, RepositoryName repo, Digest digest, Collection<Tag> tags,
                                 DeleteReason reason, String actor) {
        return event(Type.IMAGE_DELETED, account, repo.value(), digest, tags, actor, reason.name(), null);
    }

    /** An image's storage class changed: IMAGE_ARCHIVED, IMAGE_ACTIVATING or IMAGE_ACTIVATED. */
    public RegistryEvent storageChanged(Type type, RegistryId account, RepositoryName repo, Digest digest,
                                        Collection<Tag> tags, RegistryEvent.ArchiveReason reason, String actor) {
        return event(type, account, repo.value(), digest, tags, actor, reason == null ? null : reason.name(), null);
    }

    public RegistryEvent repositoryCreated(RegistryId account, RepositoryName repo, String actor) {
        return event(Type.REPOSITORY_CREATED, account, repo.value(), null, List.of(), actor, null, null);
    }

    public RegistryEvent repositoryDeleted(RegistryId account, RepositoryName repo, String actor) {
        return event(Type.REPOSITORY_DELETED, account, repo.value(), null, List.of(), actor, null, null);
    }

    /** @param repository null for an account-wide setting; {@code detail} says what it is now (short, no secrets) */
    public RegistryEvent settingChanged(RegistryId account, String repository, Setting setting, String detail,
                                        String actor) {
        return event(Type.SETTING_CHANGED, account, repository, null, List.of(), actor, setting.name(), detail);
    }

    /** @param detail the severity counts, e.g. {@code CRITICAL=1 HIGH=4} */
    public RegistryEvent scanned(RegistryId account, RepositoryName repo, Digest digest, String status,
                                 String detail) {
        return event(Type.IMAGE_SCANNED, account, repo.value(), digest, List.of(), SCANNER, status, detail);
    }

    /** Appends in this transaction; call it last in the write (see the class comment). */
    public void append(MetadataStore.Tx tx, List<RegistryEvent> events) {
        if (!events.isEmpty()) {
            tx.events().append(events);
        }
    }

    public void append(MetadataStore.Tx tx, RegistryEvent event) {
        tx.events().append(List.of(event));
    }

    private RegistryEvent event(Type type, RegistryId account, String repository, Digest digest,
                                Collection<Tag> tags, String actor, String reason, String detail) {
        List<String> names = new ArrayList<>(tags.size());
        tags.forEach(t -> names.add(t.value()));
        // a registry of another region than the default names it; the default region's registries are region-less
        String in = account.region() != null ? account.region() : region;
        return RegistryEvent.unsequenced(type, account.value(), in, repository, digest, names, actor, reason,
                detail, clock.instant());
    }
}
