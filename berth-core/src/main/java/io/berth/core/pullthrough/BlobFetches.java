package io.berth.core.pullthrough;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blobs this node is fetching from upstreams, one {@link InFlightBlob} each: concurrent first pulls of one blob
 * (clients and the background fill of its manifest) share one upstream download. Each runs on a thread of its own
 * (daemon threads: a download in progress at shutdown is dropped, and nothing half-fetched was committed).
 */
final class BlobFetches {
    private static final Logger LOG = LoggerFactory.getLogger(BlobFetches.class);
    static final String SPOOL_PREFIX = "berth-pull-through-";
    static final String SPOOL_SUFFIX = ".blob";

    /** Opens the upstream blob; empty when the upstream has none. */
    @FunctionalInterface
    interface Opener {
        Optional<UpstreamClient.Blob> open() throws IOException;
    }

    /** Commits the verified spool into the blob store (the push path, which checks the digest once more). */
    @FunctionalInterface
    interface Committer {
        void commit(Path spool, long length) throws IOException;
    }

    /** A spool not written for this long belongs to a process that is gone (a download writes as it receives). */
    static final java.time.Duration ABANDONED = java.time.Duration.ofHours(1);

    private final Path spoolDirectory;
    private final ConcurrentHashMap<String, InFlightBlob> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pull-through-blob-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    BlobFetches(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    /**
     * Creates the spool directory (owner-only, like the data directory's contents) and removes the spools a crashed
     * or killed process left; another process's live spools (a {@code berth admin} beside the server) are recent.
     */
    private void prepareSpoolDirectory() throws IOException {
        if (Files.isDirectory(spoolDirectory)) {
            return;
        }
        Files.createDirectories(spoolDirectory);
        try {
            Files.setPosixFilePermissions(spoolDirectory, java.nio.file.attribute.PosixFilePermissions
                    .fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // the data directory's own permissions apply
        }
    }

    /** Deletes spools of {@link #SPOOL_PREFIX} not written within {@link #ABANDONED}; returns how many. */
    int removeAbandoned(java.time.Instant now) {
        if (!Files.isDirectory(spoolDirectory)) {
            return 0;
        }
        int removed = 0;
        try (var files = Files.newDirectoryStream(spoolDirectory, SPOOL_PREFIX + "*" + SPOOL_SUFFIX)) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().plus(ABANDONED).isBefore(now) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("pull-through: could not clear abandoned spools in {}: {}", spoolDirectory, e.getMessage());
        }
        return removed;
    }

    /** Runs a first pull's fill (its blobs, then its manifest) on a thread of the pool. */
    void background(Runnable fill) {
        pool.execute(fill);
    }

    /** The fetch of {@code key} in progress, if any. */
    Optional<InFlightBlob> current(String key) {
        return Optional.ofNullable(inFlight.get(key));
    }

    /**
     * The fetch of {@code key}: the one in progress, or one started now.
     * @param size the length the manifest declares, or -1 when unknown (the upstream's Content-Length is used)
     */
    InFlightBlob fetch(String key, Digest digest, long size, Opener opener, Committer committer) throws IOException {
        InFlightBlob existing = inFlight.get(key);
        if (existing != null) {
            return existing;
        }
        prepareSpoolDirectory();
        Path spool = Files.createTempFile(spoolDirectory, SPOOL_PREFIX, SPOOL_SUFFIX);
        InFlightBlob mine = new InFlightBlob(digest, spool);
        InFlightBlob raced = inFlight.putIfAbsent(key, mine);
        if (raced != null) {
            Files.deleteIfExists(spool);
            return raced;
        }
        pool.execute(() -> run(key, mine, size, opener, committer));
        return mine;
    }

    private void run(String key, InFlightBlob blob, long size, Opener opener, Committer committer) {
        try {
            UpstreamClient.Blob b = opener.open().orElseThrow(() -> new UpstreamClient.UpstreamException(
                    "the upstream registry has no blob " + blob.digest, 404));
            try (b) {
                if (size >= 0 && b.length() >= 0 && b.length() != size) {
                    throw new UpstreamClient.UpstreamException("the upstream sends blob " + blob.digest + " with "
                            + b.length() + " bytes, but its manifest declares " + size + "; nothing was stored",
                            200);
                }
                blob.receive(b.body(), size >= 0 ? size : b.length());
            }
            committer.commit(blob.spool(), blob.written());
            blob.stored();
        } catch (IOException | RuntimeException e) {
            LOG.warn("pull-through: blob {} refused or not fetched: {}", blob.digest, e.getMessage());
            blob.failed(e.getMessage());
        } finally {
            inFlight.remove(key, blob);
            blob.removeSpool();
        }
    }
}
