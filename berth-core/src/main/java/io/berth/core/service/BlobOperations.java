package io.berth.core.service;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.model.RepositoryName;
import io.berth.core.service.RegistryService.BlobStat;
import io.berth.core.service.RegistryService.UploadStatus;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.BlobUploadTooLargeException;
import io.berth.core.spi.blob.DigestMismatchException;
import io.berth.core.spi.blob.UploadNotFoundException;
import io.berth.core.spi.blob.UploadSessions;
import io.berth.core.spi.meta.BlobRecordGoneException;
import io.berth.core.spi.meta.BlobRecordStore.TouchResult;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RepositoryRecord;
import io.berth.core.spi.meta.UploadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Blob uploads, mounts and links: the half of the data plane that moves bytes. The order of steps in
 * {@link #commit} is what keeps online GC safe; see {@link io.berth.core.spi.meta.BlobRecordStore}.
 */
final class BlobOperations {
    /** How long an upload waits for GC to finish deleting an identical blob before giving up. */
    private static final long GC_WAIT_MILLIS = 30_000;
    /** The most repositories a mount without {@code from} considers as its source, and how many per query. */
    static final int MOUNT_CANDIDATES = 1000;
    private static final int MOUNT_PAGE = 100;

    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Repositories repositories;
    private final Clock clock;
    private final long maxBlobBytes;
    /** One writer per upload session at a time; a second request for the same session waits briefly. */
    private final ConcurrentHashMap<String, ReentrantLock> sessionLocks = new ConcurrentHashMap<>();
    /** Where a repository's sessions write (a KMS repository's are sealed as they stream in). */
    private final java.util.function.Function<RepositoryRecord, UploadSessions> sessions;

    BlobOperations(BlobStore blobs, MetadataStore metadata, Repositories repositories, Clock clock,
                   long maxBlobBytes, java.util.function.Function<RepositoryRecord, UploadSessions> sessions) {
        this.sessions = sessions;
        this.blobs = blobs;
        this.metadata = metadata;
        this.repositories = repositories;
        this.clock = clock;
        this.maxBlobBytes = maxBlobBytes;
    }

    BlobStat stat(RepositoryName repo, Digest digest) {
        RepositoryRecord r = repositories.require(repo);
        // a blob in the archive tier is not there for /v2 reads (its images are archived); a push that needs it
        // uploads it again or brings it back (see ImageArchive.restoreForPush)
        return metadata.read(tx -> tx.blobs().isLinked(r.id(), digest)
                        && tx.imageStorage().archivedBlobs(java.util.Set.of(digest)).isEmpty()
                        ? tx.blobs().get(digest) : Optional.<io.berth.core.spi.meta.BlobRecord>empty())
                .map(b -> new BlobStat(b.digest(), b.size()))
                .orElseThrow(() -> blobUnknown(digest));
    }

    BlobStore.BlobReader open(Digest digest, long offset, long length) {
        try {
            return blobs.open(digest, offset, length);
        } catch (io.berth.core.spi.blob.BlobNotFoundException e) {
            throw blobUnknown(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store's presigned URL, when it has one (S3 with {@code storage.redirect}). */
    java.util.Optional<java.net.URI> redirect(Digest digest, java.time.Duration validity) {
        return blobs.redirectUrl(digest, validity);
    }

    void delete(RepositoryName repo, Digest digest) {
        RepositoryRecord r = repositories.require(repo);
        if (!metadata.write(tx -> {
            ReferenceGuard.requireUnreferencedBlob(tx, r.id(), digest);
            return tx.blobs().unlink(r.id(), digest);
        })) {
            throw blobUnknown(digest);
        }
    }

    UploadStatus start(RepositoryName repo, CreateGuard guard, String actor) {
        RepositoryRecord r = repositories.forPush(repo, guard, actor);
        try (BlobUpload upload = sessions.apply(r).start()) {
            repositories.writingInto(r, () -> metadata.writeUnsynced(tx -> {
                tx.uploads().create(new UploadRecord(upload.id(), r.id(), clock.instant()));
                return null;
            }));
            return new UploadStatus(upload.id(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    UploadStatus status(RepositoryName repo, String uploadId) {
        RepositoryRecord r = requireSession(repo, uploadId);
        return withSession(r, uploadId, upload -> new UploadStatus(uploadId, upload.size()));
    }

    UploadStatus append(RepositoryName repo, String uploadId, InputStream body, Long rangeStart, long expected) {
        RepositoryRecord r = requireSession(repo, uploadId);
        return withSession(r, uploadId, upload -> {
            appendChecked(upload, body, rangeStart, expected);
            return new UploadStatus(uploadId, upload.size());
        });
    }

    BlobStat complete(RepositoryName repo, String uploadId, Digest digest, InputStream body, Long rangeStart,
                      long expected) {
        RepositoryRecord r = requireSession(repo, uploadId);
        BlobStat stat = withSession(r, uploadId, upload -> {
            if (body != null) {
                appendChecked(upload, body, rangeStart, expected);
            }
            return commit(upload, digest);
        });
        linkCommitted(digest, () -> repositories.writingInto(r, () -> metadata.write(tx -> {
            tx.blobs().link(r.id(), digest, clock.instant());
            tx.uploads().delete(uploadId);
            return null;
        })));
        return stat;
    }

    BlobStat monolithic(RepositoryName repo, Digest digest, InputStream body, long expected, CreateGuard guard,
                        String actor) {
        RepositoryRecord r = repositories.forPush(repo, guard, actor);
        BlobStat stat;
        try (BlobUpload upload = sessions.apply(r).start()) {
            try {
                appendChecked(upload, body, null, expected);
                stat = commit(upload, digest);
            } catch (RuntimeException e) {
                upload.cancel();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        linkCommitted(digest, () -> repositories.writingInto(r, () -> metadata.write(tx -> {
            tx.blobs().link(r.id(), digest, clock.instant());
            return null;
        })));
        return stat;
    }

    void cancel(RepositoryName repo, String uploadId) {
        RepositoryRecord r = requireSession(repo, uploadId);
        withSession(r, uploadId, upload -> {
            upload.cancel();
            return null;
        });
        metadata.write(tx -> tx.uploads().delete(uploadId));
    }

    /** From {@code from} when given, else from any repository of this registry that links the blob. */
    Optional<BlobStat> mount(RepositoryName repo, Digest digest, Optional<RepositoryName> from, CreateGuard guard,
                             String actor) {
        return from.isPresent() ? mountFrom(repo, digest, from.get(), guard, actor)
                : mountFromAny(repo, digest, name -> true, guard, actor);
    }

    private Optional<BlobStat> mountFrom(RepositoryName repo, Digest digest, RepositoryName from, CreateGuard guard,
                                         String actor) {
        Optional<RepositoryRecord> source = repositories.find(from);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        RepositoryRecord target = repositories.forPush(repo, guard, actor);
        return repositories.writingInto(target, () -> metadata.write(tx -> {
            if (!tx.blobs().isLinked(source.get().id(), digest)) {
                return Optional.empty();
            }
            var record = tx.blobs().get(digest);
            if (record.isEmpty()) {
                return Optional.empty();
            }
            // Refresh the grace clock: the client will reference the blob from a manifest shortly.
            if (tx.blobs().touch(digest, record.get().size(), clock.instant()) == TouchResult.BEING_DELETED) {
                return Optional.empty();
            }
            tx.blobs().link(target.id(), digest, clock.instant());
            return Optional.of(new BlobStat(digest, record.get().size()));
        }));
    }

    /**
     * Mounts from the first repository of this registry, in name order, that links the blob and that
     * {@code readable} accepts. At most {@link #MOUNT_CANDIDATES} repositories are asked: a base layer can be in
     * thousands, and a caller who may read none of them must not make one request cost a scan of all; past the cap
     * the client uploads, which is always correct.
     */
    Optional<BlobStat> mountFromAny(RepositoryName repo, Digest digest, Predicate<RepositoryName> readable,
                                    CreateGuard guard, String actor) {
        String after = null;
        for (int asked = 0; asked < MOUNT_CANDIDATES; ) {
            String from = after;
            int limit = Math.min(MOUNT_PAGE, MOUNT_CANDIDATES - asked);
            List<RepositoryName> page = metadata.read(tx -> tx.repositories().namesLinking(
                    repositories.registryId(), digest, from, limit));
            for (RepositoryName candidate : page) {
                // a link removed since the page was read makes that mount empty; the next candidate may still do
                if (readable.test(candidate)) {
                    Optional<BlobStat> mounted = mountFrom(repo, digest, candidate, guard, actor);
                    if (mounted.isPresent()) {
                        return mounted;
                    }
                }
            }
            if (page.size() < limit) {
                break;
            }
            asked += page.size();
            after = page.get(page.size() - 1).value();
        }
        return Optional.empty();
    }

    private void appendChecked(BlobUpload upload, InputStream body, Long rangeStart, long expected) {
        long before = upload.size();
        if (rangeStart != null && rangeStart != before) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_RANGE_INVALID,
                    "chunk starts at " + rangeStart + " but the upload has " + before + " bytes",
                    java.util.Map.of("size", before));
        }
        long limit = maxBlobBytes < 0 ? -1 : Math.max(0, maxBlobBytes - before);
        long written;
        try {
            written = upload.append(body, limit);
        } catch (BlobUploadTooLargeException e) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "blob exceeds the limit of " + maxBlobBytes
                    + " bytes");
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "upload body ended early after " + (upload.size() - before) + " bytes: " + e.getMessage(),
                    null, e);
        }
        if (expected >= 0 && written != expected) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "received " + written + " bytes but Content-Length said " + expected);
        }
    }

    /**
     * Touches the blob record first, then commits the bytes: once touched, GC cannot start deleting the digest,
     * so a commit that finds the digest already stored can rely on those bytes staying.
     */
    private BlobStat commit(BlobUpload upload, Digest digest) {
        TouchResult touched = touchWaitingForGc(digest, upload.size());
        try {
            BlobStore.BlobInfo info = upload.commit(digest);
            if (touched == TouchResult.CREATED && info.size() != upload.size()) {
                metadata.write(tx -> tx.blobs().touch(digest, info.size(), clock.instant()));
            }
            return new BlobStat(info.digest(), info.size());
        } catch (DigestMismatchException e) {
            forgetUnbackedRecord(digest, touched);
            throw new RegistryException(ErrorCode.DIGEST_MISMATCH, e.getMessage(), java.util.Map.of("digest",
                    digest.toString()));
        } catch (IOException e) {
            forgetUnbackedRecord(digest, touched);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the link of a blob just committed. GC may have taken the blob between its touch and this link only when
     * the grace period is shorter than the upload; the client then hears the same retryable answer as a push that
     * met GC at the touch, not a fault.
     */
    private static void linkCommitted(Digest digest, Runnable link) {
        try {
            link.run();
        } catch (BlobRecordGoneException e) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "blob " + digest
                    + " was garbage-collected before it could be linked (gc.grace is shorter than this upload); "
                    + "retry the upload");
        }
    }

    private TouchResult touchWaitingForGc(Digest digest, long size) {
        long deadline = System.currentTimeMillis() + GC_WAIT_MILLIS;
        while (true) {
            // Unsynced: the link written after the bytes commit syncs this too; lost alone, it only loses a stamp.
            TouchResult result = metadata.writeUnsynced(tx -> tx.blobs().touch(digest, size, clock.instant()));
            if (result != TouchResult.BEING_DELETED) {
                return result;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new RegistryException(ErrorCode.UNAVAILABLE,
                        "blob " + digest + " is being garbage-collected; retry the upload");
            }
            sleep(20);
        }
    }

    /** A record this upload created for bytes that never arrived must not claim the blob exists. */
    private void forgetUnbackedRecord(Digest digest, TouchResult touched) {
        if (touched != TouchResult.CREATED) {
            return;
        }
        try {
            if (blobs.stat(digest).isEmpty()) {
                metadata.write(tx -> {
                    tx.blobs().remove(digest);
                    return null;
                });
            }
        } catch (IOException | RuntimeException e) {
            // GC removes records without bytes later; the original failure is what the client must see.
        }
    }

    private RepositoryRecord requireSession(RepositoryName repo, String uploadId) {
        RepositoryRecord r = repositories.find(repo).orElseThrow(() -> uploadUnknown(uploadId));
        var session = metadata.read(tx -> tx.uploads().get(uploadId));
        if (session.isEmpty() || session.get().repositoryId() != r.id()) {
            throw uploadUnknown(uploadId);
        }
        return r;
    }

    private interface SessionWork<T> {
        T apply(BlobUpload upload) throws IOException;
    }

    private <T> T withSession(RepositoryRecord r, String uploadId, SessionWork<T> work) {
        ReentrantLock lock = sessionLocks.computeIfAbsent(uploadId, k -> new ReentrantLock());
        boolean locked;
        try {
            locked = lock.tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorCode.UNAVAILABLE, "interrupted");
        }
        if (!locked) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "another request is writing to upload " + uploadId);
        }
        try (BlobUpload upload = sessions.apply(r).resume(uploadId)) {
            return work.apply(upload);
        } catch (UploadNotFoundException e) {
            throw uploadUnknown(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
            if (!lock.hasQueuedThreads()) {
                sessionLocks.remove(uploadId, lock);
            }
        }
    }

    static RegistryException blobUnknown(Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                java.util.Map.of("digest", digest.toString()));
    }

    private static RegistryException uploadUnknown(String uploadId) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
