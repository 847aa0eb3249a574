package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.event.EventRecorder;
import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.meta.ImageStorageRecord;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent.ArchiveReason;
import io.berth.core.spi.meta.RegistryEvent.Type;
import io.berth.core.spi.meta.RepositoryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * ECR's archive storage class for the images of one registry: {@link #archive} moves an image to ARCHIVE, and
 * {@link #restore} brings it back through ACTIVATING to ACTIVE, the second half running as a durable job
 * ({@link #RESTORE_JOB}, enqueued in the transaction that marks the image ACTIVATING). UpdateImageStorageClass and a
 * lifecycle {@code transition} both call these; a re-push restores at once (see
 * {@link StoreBackedRegistryService#putManifest}).
 *
 * <p>An archived image stays listed and described but cannot be pulled. Its blobs that no other image needs in the
 * standard tier (every image referencing them is ARCHIVED) move to the blob store's archive tier, one blob per
 * transaction under an exclusive lock of its record, so a concurrent push of an image that shares it either keeps
 * it in place or brings it back (see {@link io.berth.core.spi.meta.ImageStorageStore}). A crash between the status
 * change and the moves leaves some bytes in the standard tier: harmless, the image is archived all the same.
 */
public final class ImageArchive {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageArchive.class);
    /** The job kind that finishes a restore; its target is {@link #jobTarget}. */
    public static final String RESTORE_JOB = "image-restore";
    /** A restore whose blob moves keep failing is retried this many times in all, then left FAILED (and ACTIVATING). */
    public static final int RESTORE_ATTEMPTS = 5;
    /**
     * ECR's minimum storage duration of the archive: "You cannot configure lifecycle policies that delete images that
     * have been in archive for less than 90 days." BatchDeleteImage may still delete them (ECR bills the rest).
     */
    public static final Duration MINIMUM_ARCHIVE_DURATION = Duration.ofDays(90);

    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final ReadCache cache;
    private final RegistryId registryId;
    private final Clock clock;
    private final EventRecorder events;
    private final String actor;

    ImageArchive(BlobStore blobs, MetadataStore metadata, ReadCache cache, RegistryId registryId, Clock clock,
                 EventRecorder events, String actor) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.cache = cache;
        this.registryId = registryId;
        this.clock = clock;
        this.events = events;
        this.actor = actor;
    }

    /** Whether lifecycle may expire an archived image now: it has been archived for at least 90 days. */
    public static boolean mayExpire(ImageStorageView storage, Instant now) {
        return storage.status() == ImageStorageView.Status.ARCHIVED && storage.lastArchivedAt() != null
                && !storage.lastArchivedAt().plus(MINIMUM_ARCHIVE_DURATION).isAfter(now);
    }

    /** The image's storage state; {@code MANIFEST_UNKNOWN} when there is no such image. */
    public ImageStorageView status(RepositoryName repo, Digest digest) {
        return metadata.read(tx -> {
            RepositoryRecord r = require(tx, repo);
            requireImage(tx, r, repo, digest);
            return ImageStorageView.of(tx.imageStorage().get(r.id(), digest).orElse(ImageStorageRecord.active(
                    digest)));
        });
    }

    /** UpdateImageStorageClass ARCHIVE: {@link #archive(RepositoryName, Digest, ArchiveReason)} by a user. */
    public ImageStorageView archive(RepositoryName repo, Digest digest) {
        return ImageStorageView.of(archive(repo, digest, ArchiveReason.USER));
    }

    /** A lifecycle {@code transition} to archive: as {@link #archive(RepositoryName, Digest)}, for LIFECYCLE. */
    public ImageStorageView transition(RepositoryName repo, Digest digest) {
        return ImageStorageView.of(archive(repo, digest, ArchiveReason.LIFECYCLE));
    }

    /**
     * Moves the image to the archive storage class; an image already ARCHIVED stays so (no change, no event).
     * Refused with {@code IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED} while it is being restored, and while a manifest
     * list that is not archived lists it (the list's pulls would break; archive the list first).
     *
     * @param reason USER for UpdateImageStorageClass, LIFECYCLE for a lifecycle transition
     */
    private ImageStorageRecord archive(RepositoryName repo, Digest digest, ArchiveReason reason) {
        Instant now = clock.instant();
        record Archived(long repositoryId, ImageStorageRecord state, Set<Digest> blobs) {}
        Archived done = metadata.write(tx -> {
            RepositoryRecord r = require(tx, repo);
            requireImage(tx, r, repo, digest);
            ImageStorageRecord current = tx.imageStorage().get(r.id(), digest).orElse(ImageStorageRecord.active(
                    digest));
            if (current.status() == ImageStatus.ARCHIVED) {
                return new Archived(r.id(), current, Set.of());
            }
            if (current.status() == ImageStatus.ACTIVATING) {
                throw notSupported("The image is being restored (imageStatus ACTIVATING) and cannot be archived "
                        + "until the restore completes");
            }
            Map<Digest, ImageStorageRecord> parents = tx.imageStorage().getAll(r.id(),
                    tx.manifests().parentsOf(r.id(), digest));
            for (Digest parent : tx.manifests().parentsOf(r.id(), digest)) {
                ImageStorageRecord p = parents.get(parent);
                if (p == null || p.status() != ImageStatus.ARCHIVED) {
                    throw notSupported("The image is referenced by manifest list " + parent + ", which is not "
                            + "archived: archive the manifest list first");
                }
            }
            ImageStorageRecord next = current.archivedAt(now);
            if (!tx.imageStorage().transition(r.id(), ImageStatus.ACTIVE, next)) {
                throw new RegistryException(ErrorCode.UNAVAILABLE, "the image's storage class changed concurrently;"
                        + " retry");
            }
            events.append(tx, events.storageChanged(Type.IMAGE_ARCHIVED, registryId, repo, digest,
                    tx.tags().tagsOf(r.id(), digest), reason, actor));
            return new Archived(r.id(), next, tx.imageStorage().blobsOf(r.id(), digest));
        });
        cache.removeManifest(done.repositoryId(), digest);
        for (Digest blob : new TreeSet<>(done.blobs())) {
            try {
                moveToArchive(blob, now);
            } catch (UncheckedIOException e) {
                // the image is archived all the same; this blob just stays in the standard tier
                LOG.warn("archive of {}@{}: blob {} stays in the standard tier: {}", repo, digest, blob,
                        e.getCause().getMessage());
            }
        }
        return done.state();
    }

    /** One blob to the archive tier, if no image needs it in the standard tier any more (checked under its lock). */
    private void moveToArchive(Digest blob, Instant now) {
        metadata.write(tx -> {
            if (tx.imageStorage().archivable(Set.of(blob)).isEmpty()
                    || !tx.imageStorage().archivedBlobs(Set.of(blob)).isEmpty()) {
                return null;
            }
            try {
                if (blobs.archive(blob)) {
                    tx.imageStorage().markArchived(Set.of(blob), now);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not move blob " + blob + " to the archive", e);
            }
            return null;
        });
    }

    /**
     * Starts a restore: ARCHIVED becomes ACTIVATING, and a {@link #RESTORE_JOB} job (in the same transaction, so it
     * cannot be lost) brings the blobs back and makes it ACTIVE. An image ACTIVE or ACTIVATING already is left as it
     * is. Returns the state after the call.
     */
    public ImageStorageView restore(RepositoryName repo, Digest digest) {
        return ImageStorageView.of(metadata.<ImageStorageRecord>write(tx -> {
            RepositoryRecord r = require(tx, repo);
            requireImage(tx, r, repo, digest);
            ImageStorageRecord current = tx.imageStorage().get(r.id(), digest).orElse(ImageStorageRecord.active(
                    digest));
            if (current.status() != ImageStatus.ARCHIVED) {
                return current;
            }
            ImageStorageRecord next = current.activating();
            if (!tx.imageStorage().transition(r.id(), ImageStatus.ARCHIVED, next)) {
                throw new RegistryException(ErrorCode.UNAVAILABLE, "the image's storage class changed concurrently;"
                        + " retry");
            }
            Instant now = clock.instant();
            String target = jobTarget(registryId, repo, digest);
            tx.jobs().enqueue(new NewJob(RESTORE_JOB, target, RESTORE_JOB + ":" + target, RESTORE_ATTEMPTS, now),
                    now);
            events.append(tx, events.storageChanged(Type.IMAGE_ACTIVATING, registryId, repo, digest,
                    tx.tags().tagsOf(r.id(), digest), null, actor));
            return next;
        }));
    }

    /**
     * The restore job's work: brings each archived blob of the image back to the standard tier, then makes the
     * image ACTIVE with {@code lastActivatedAt} now. Safe to repeat: blobs already back are skipped, and an image
     * that is no longer ACTIVATING (re-pushed, deleted) is left alone. {@code progress} hears (done, total) blobs.
     */
    public ImageStorageView completeRestore(RepositoryName repo, Digest digest, BiConsumer<Integer, Integer> progress) {
        record Pending(long repositoryId, ImageStorageRecord state, List<Digest> blobs) {}
        Pending pending = metadata.read(tx -> {
            RepositoryRecord r = tx.repositories().get(registryId, repo).orElse(null);
            if (r == null || tx.manifests().get(r.id(), digest).isEmpty()) {
                return null; // deleted meanwhile: nothing to restore
            }
            ImageStorageRecord s = tx.imageStorage().get(r.id(), digest).orElse(ImageStorageRecord.active(digest));
            return new Pending(r.id(), s, List.copyOf(new TreeSet<>(tx.imageStorage().archivedBlobs(
                    tx.imageStorage().blobsOf(r.id(), digest)))));
        });
        if (pending == null || pending.state().status() != ImageStatus.ACTIVATING) {
            return pending == null ? null : ImageStorageView.of(pending.state());
        }
        int done = 0;
        for (Digest blob : pending.blobs()) {
            metadata.write(tx -> {
                tx.imageStorage().lockBlobs(Set.of(blob));
                try {
                    blobs.restore(blob);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not restore blob " + blob + " from the archive", e);
                }
                tx.imageStorage().unmarkArchived(Set.of(blob));
                return null;
            });
            progress.accept(++done, pending.blobs().size());
        }
        ImageStorageRecord active = pending.state().activatedAt(clock.instant());
        boolean changed = metadata.write(tx -> {
            if (!tx.imageStorage().transition(pending.repositoryId(), ImageStatus.ACTIVATING, active)) {
                return false;
            }
            events.append(tx, events.storageChanged(Type.IMAGE_ACTIVATED, registryId, repo, digest,
                    tx.tags().tagsOf(pending.repositoryId(), digest), ArchiveReason.RESTORE, actor));
            return true;
        });
        return changed ? ImageStorageView.of(active) : status(repo, digest);
    }

    /**
     * For a push in its transaction: brings back those of {@code blobsOfPush} that are archived (a new image, or a
     * re-pushed one, needs them), and makes the pushed image ACTIVE if it was archived or being restored. The push
     * holds its blob records FOR SHARE, so no archive of them interleaves. Returns whether the image was restored.
     */
    static boolean restoreForPush(MetadataStore.Tx tx, BlobStore blobs, long repositoryId, Digest digest,
                                  Set<Digest> blobsOfPush, Instant now) {
        Set<Digest> archived = tx.imageStorage().archivedBlobs(blobsOfPush);
        Set<Digest> all = archived;
        ImageStorageRecord current = tx.imageStorage().get(repositoryId, digest).orElse(null);
        boolean wasArchived = current != null && current.status() != ImageStatus.ACTIVE;
        if (wasArchived) {
            // a re-push of an archived image names its blobs again; restore every one of its own too
            all = new TreeSet<>(archived);
            all.addAll(tx.imageStorage().archivedBlobs(tx.imageStorage().blobsOf(repositoryId, digest)));
        }
        for (Digest blob : new TreeSet<>(all)) {
            try {
                blobs.restore(blob);
            } catch (IOException e) {
                throw new UncheckedIOException("could not restore blob " + blob + " from the archive", e);
            }
        }
        tx.imageStorage().unmarkArchived(all);
        return wasArchived && tx.imageStorage().transition(repositoryId, current.status(), current.activatedAt(now));
    }

    /** The pull of an image that is not ACTIVE: 404 MANIFEST_UNKNOWN, saying why (ECR answers archived pulls 404). */
    static RegistryException notPullable(io.berth.core.model.Reference reference, ImageStatus status) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: the image is archived (imageStatus "
                + status + ") and cannot be pulled; restore it with UpdateImageStorageClass (targetStorageClass "
                + "STANDARD) or push it again", Map.of(reference instanceof io.berth.core.model.Reference.ByTag ? "tag" : "digest",
                reference.toString(), "imageStatus", status.name()));
    }

    /** A restore job's target: {@code <registry>/<repository>@<digest>}. */
    public static String jobTarget(RegistryId registryId, RepositoryName repo, Digest digest) {
        return registryId.key() + "/" + repo.value() + "@" + digest;
    }

    private static RegistryException notSupported(String message) {
        return new RegistryException(ErrorCode.IMAGE_STORAGE_CLASS_UPDATE_NOT_SUPPORTED, message);
    }

    private void requireImage(MetadataStore.Tx tx, RepositoryRecord r, RepositoryName repo, Digest digest) {
        if (tx.manifests().existing(r.id(), List.of(digest)).isEmpty()) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "The image with imageId {imageDigest:'" + digest
                    + "', imageTag:'null'} does not exist within the repository with name '" + repo
                    + "' in the registry with id '" + registryId + "'");
        }
    }

    private RepositoryRecord require(MetadataStore.Tx tx, RepositoryName repo) {
        return tx.repositories().get(registryId, repo).orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN,
                "The repository with name '" + repo + "' does not exist in the registry with id '" + registryId
                        + "'", Map.of("name", repo.value())));
    }
}
