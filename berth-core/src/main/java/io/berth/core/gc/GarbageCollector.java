package io.berth.core.gc;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobStore.UploadInfo;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.UploadNotFoundException;
import io.berth.core.spi.meta.BlobRecord;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.UploadRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online mark-and-sweep over metadata rows: removes blobs no manifest references and abandoned upload sessions,
 * once older than the grace period. Runs while pushes continue; the protocol in
 * {@link io.berth.core.spi.meta.BlobRecordStore} (touch before commit, shared locks on push, mark under an exclusive
 * lock with a re-check) is what makes that safe. A blob uploaded within the grace period is never removed, so a
 * client has that long between uploading a layer and pushing the manifest that references it.
 *
 * <p>Untagged manifests are images and are kept; removing them is lifecycle's job.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int PAGE = 500;

    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Duration grace;
    private final Clock clock;
    /** One pass at a time per process: the scheduled pass and a manual one must not interleave their pages. */
    private final AtomicBoolean running = new AtomicBoolean();

    public GarbageCollector(BlobStore blobs, MetadataStore metadata, Duration grace, Clock clock) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("GC grace period must not be negative");
        }
        this.blobs = blobs;
        this.metadata = metadata;
        this.grace = grace;
        this.clock = clock;
    }

    public GcReport run(boolean dryRun, GcProgress progress) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("a garbage collection is already running");
        }
        try {
            Instant cutoff = clock.instant().minus(grace);
            long[] blobCounts = dryRun ? new long[3] : finishInterruptedDeletes(progress);
            long[] swept = sweepBlobs(cutoff, dryRun, progress);
            long[] uploads = sweepUploads(cutoff, dryRun, progress);
            if (!dryRun) {
                releaseUnheldWrappings(cutoff);
            }
            return new GcReport(dryRun, swept[0], blobCounts[1] + swept[1], blobCounts[2] + swept[2], uploads[0],
                    uploads[1]);
        } finally {
            running.set(false);
        }
    }

    /** KMS keys whose last repository stopped holding a blob that stays lose their wrapping of it. */
    private void releaseUnheldWrappings(Instant cutoff) {
        try {
            long removed = io.berth.core.envelope.EnvelopeGc.releaseUnheld(metadata, blobs, cutoff);
            if (removed > 0) {
                LOG.debug("GC removed {} envelope wrappings no repository of their key holds", removed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GC could not remove envelope wrappings", e);
        }
    }

    /** Records a previous pass marked but did not remove (it crashed between the steps). */
    private long[] finishInterruptedDeletes(GcProgress progress) {
        long[] counts = new long[3];
        List<Digest> pending;
        while (!(pending = metadata.read(tx -> tx.blobs().beingDeleted(PAGE))).isEmpty()) {
            for (Digest digest : pending) {
                counts[2] += deleteBytes(digest);
                counts[1]++;
                metadata.write(tx -> {
                    tx.blobs().remove(digest);
                    return null;
                });
                progress.update("finishing interrupted deletes", counts[1], counts[2]);
            }
        }
        return counts;
    }

    /** Returns {scanned, removed, bytes}. */
    private long[] sweepBlobs(Instant cutoff, boolean dryRun, GcProgress progress) {
        long scanned = 0;
        long removed = 0;
        long bytes = 0;
        Digest after = null;
        while (true) {
            Digest from = after;
            List<BlobRecord> page = metadata.read(tx -> tx.blobs().unreferencedBefore(cutoff, from, PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (BlobRecord candidate : page) {
                scanned++;
                after = candidate.digest();
                if (dryRun) {
                    removed++;
                    bytes += candidate.size();
                } else if (metadata.write(tx -> tx.blobs().markDeleting(candidate.digest(), cutoff))) {
                    // Marked: no upload can reuse these bytes and no manifest can reference them any more.
                    deleteBytes(candidate.digest());
                    metadata.write(tx -> {
                        tx.blobs().remove(candidate.digest());
                        return null;
                    });
                    removed++;
                    bytes += candidate.size();
                }
                progress.update(dryRun ? "blobs (dry run)" : "blobs", removed, bytes);
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return new long[] {scanned, removed, bytes};
    }

    private long deleteBytes(Digest digest) {
        try {
            long size = blobs.stat(digest).map(BlobStore.BlobInfo::size).orElse(0L);
            // a KMS repository's blob has sealed copies beside the plain one: they go with it
            size += io.berth.core.envelope.EnvelopeGc.dropCopies(metadata, blobs, digest);
            blobs.delete(digest);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("GC could not delete blob " + digest, e);
        }
    }

    /** Upload sessions with no write since the cutoff, and session rows whose bytes are gone. Returns {count, bytes}. */
    private long[] sweepUploads(Instant cutoff, boolean dryRun, GcProgress progress) {
        List<UploadInfo> stale = new ArrayList<>();
        try {
            blobs.forEachUpload(u -> {
                if (u.lastModified().isBefore(cutoff)) {
                    stale.add(u);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("GC could not list upload sessions", e);
        }
        long count = 0;
        long bytes = 0;
        progress.begin(dryRun ? "uploads (dry run)" : "uploads", stale.size());
        for (UploadInfo u : stale) {
            if (!dryRun) {
                cancelUpload(u.uploadId());
                metadata.write(tx -> tx.uploads().delete(u.uploadId()));
            }
            count++;
            bytes += u.size();
            progress.update(dryRun ? "uploads (dry run)" : "uploads", count, bytes);
        }
        if (!dryRun) {
            List<UploadRecord> rows;
            while (!(rows = metadata.read(tx -> tx.uploads().startedBefore(cutoff, PAGE))).isEmpty()) {
                int gone = 0;
                for (UploadRecord row : rows) {
                    if (!sessionExists(row.uploadId())) {
                        metadata.write(tx -> tx.uploads().delete(row.uploadId()));
                        gone++;
                    }
                }
                if (gone == 0) {
                    break; // the rest are old but still being written to
                }
            }
        }
        if (count > 0) {
            LOG.debug("GC {} {} upload sessions", dryRun ? "would purge" : "purged", count);
        }
        return new long[] {count, bytes};
    }

    private void cancelUpload(String uploadId) {
        try (BlobUpload upload = blobs.resumeUpload(uploadId)) {
            upload.cancel();
        } catch (UploadNotFoundException e) {
            // Finished or cancelled since we listed it.
        } catch (IOException e) {
            throw new UncheckedIOException("GC could not cancel upload " + uploadId, e);
        }
    }

    private boolean sessionExists(String uploadId) {
        try (BlobUpload ignored = blobs.resumeUpload(uploadId)) {
            return true;
        } catch (UploadNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
