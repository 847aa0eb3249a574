package io.berth.core.blob.fs;

import io.berth.core.error.RegistryException;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobNotFoundException;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import io.berth.core.spi.blob.UploadNotFoundException;
import io.berth.core.crypto.SegmentedAead;
import io.berth.core.fs.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} on a local (or shared POSIX) filesystem.
 *
 * <p>Layout under the root:
 * <pre>
 *   blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;   committed, verified, fsync'd blobs
 *   uploads/&lt;id&gt;/data                      bytes of an open upload session
 * </pre>
 * and archived blobs (the archive storage class) under a directory of their own, {@code archive/} under the root
 * unless configured elsewhere (a cheaper disk), in the same {@code <alg>/<two hex>/<hex>} layout. A blob moves
 * between the tiers by rename when both are on one filesystem, else by a copy that is fsync'd and renamed into
 * place before the source goes, so a crash leaves it in one tier or both, never in neither.
 * A blob appears under {@code blobs/} only by an atomic rename of a fully written, hash-verified and fsync'd session
 * file, so a crash at any point leaves either no blob or a complete one. The two-hex fan-out keeps directories small
 * (distribution uses the same scheme) without link files.
 *
 * <p>The running hash of each session lives in {@link #hashStates}, so chunked uploads hash every byte once. It is
 * only a cache: when it is missing (restart, another node served the previous chunk) or disagrees with the file, the
 * session file is rehashed from disk.
 */
public final class FileSystemBlobStore implements BlobStore {

    /** Upload IDs we hand out are base64url of 16 random bytes; accept only that alphabet so no ID escapes uploads/. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    static final String UPLOAD_DATA = "data";
    /** Large enough that per-call overhead of hashing and write(2) vanishes, small enough to pool. */
    static final int BUFFER_SIZE = 1 << 20;
    private static final int MAX_POOLED_BUFFERS = 12;
    /** Appends start a background fdatasync every this many bytes; see FileSystemBlobUpload#append. */
    static final long DEFAULT_FLUSH_INTERVAL = 64L << 20;

    private final Path root;
    private final Path blobsDir;
    private final Path uploadsDir;
    private final Path archiveDir;
    private final long flushInterval;
    /** Runs the writer and flusher tasks that let appends hash and write at once; idle threads expire. */
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "berth-fs-writer-" + threadCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, HashState> hashStates = new ConcurrentHashMap<>();
    /** Reused 1 MiB transfer buffers, so small uploads do not allocate (and zero) a megabyte per request. */
    private final BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(MAX_POOLED_BUFFERS);
    /** Reads encrypted blob files; null when the store has no key (then it has none). */
    private final SegmentedAead aead;
    /** Whether new uploads are encrypted at rest. */
    private final boolean encryptNew;

    public FileSystemBlobStore(Path root) throws IOException {
        this(root, null, DEFAULT_FLUSH_INTERVAL, null, false);
    }

    /** @param archiveRoot where archived blobs go; null for {@code archive/} under {@code root} */
    public FileSystemBlobStore(Path root, Path archiveRoot) throws IOException {
        this(root, archiveRoot, DEFAULT_FLUSH_INTERVAL, null, false);
    }

    /**
     * @param aead       reads (and, with {@code encryptNew}, writes) blobs encrypted at rest
     * @param encryptNew whether new uploads are encrypted; off, encryption at rest is the disk's
     */
    public FileSystemBlobStore(Path root, Path archiveRoot, SegmentedAead aead, boolean encryptNew)
            throws IOException {
        this(root, archiveRoot, DEFAULT_FLUSH_INTERVAL, aead, encryptNew && aead != null);
    }

    /** With {@code flushInterval} 0, appends never flush early; for measurements. */
    FileSystemBlobStore(Path root, long flushInterval) throws IOException {
        this(root, null, flushInterval, null, false);
    }

    private FileSystemBlobStore(Path root, Path archiveRoot, long flushInterval, SegmentedAead aead,
                                boolean encryptNew) throws IOException {
        this.aead = aead;
        this.encryptNew = encryptNew;
        this.flushInterval = flushInterval;
        this.root = root.toAbsolutePath().normalize();
        this.blobsDir = this.root.resolve("blobs");
        this.uploadsDir = this.root.resolve("uploads");
        this.archiveDir = (archiveRoot == null ? this.root.resolve("archive") : archiveRoot).toAbsolutePath()
                .normalize();
        // owner-only: layers of private images and upload bytes are no one else's to read
        PrivateFiles.createDirectories(blobsDir);
        PrivateFiles.createDirectories(uploadsDir);
        PrivateFiles.createDirectories(archiveDir);
    }

    @Override
    public String describe() {
        return "filesystem:" + root + (aead == null ? "" : encryptNew
                ? ", blobs encrypted at rest (AES-256-GCM segments)"
                : ", blobs not encrypted by Berth (storage.encrypt-at-rest: false): encryption at rest is the disk's");
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) throws IOException {
        try {
            return Optional.of(new BlobInfo(digest, BlobFiles.blobSize(blobPath(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a committed blob. A {@code length} reaching past the end is clamped to the blob's end, as HTTP ranges
     * are; an {@code offset} past the end is an {@link IllegalArgumentException}.
     */
    @Override
    public BlobReader open(Digest digest, long offset, long length) throws IOException {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("invalid range: offset " + offset + ", length " + length);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException("blob " + digest + " not found");
        }
        try {
            BlobReader encrypted = aead == null ? null : BlobFiles.encryptedReader(aead, channel, offset, length);
            if (encrypted != null) {
                return encrypted;
            }
            long size = channel.size();
            if (offset > size) {
                throw new IllegalArgumentException("offset " + offset + " is past the end of " + digest
                        + " (" + size + " bytes)");
            }
            long available = size - offset;
            long effective = length == -1 ? available : Math.min(length, available);
            channel.position(offset);
            return BlobFiles.plainReader(channel, effective);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    @Override
    public BlobUpload startUpload() throws IOException {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path dir = uploadsDir.resolve(id);
        PrivateFiles.createDirectory(dir);
        PrivateFiles.createFile(dir.resolve(UPLOAD_DATA)); // 0600, and it keeps that mode when renamed into blobs/
        hashStates.put(id, HashState.empty());
        if (encryptNew) {
            return EncryptedBlobUpload.start(this, aead, id, dir);
        }
        return new FileSystemBlobUpload(this, id, dir, 0);
    }

    @Override
    public BlobUpload resumeUpload(String uploadId) throws IOException {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new UploadNotFoundException("upload " + abbreviate(uploadId) + " not found");
        }
        Path dir = uploadsDir.resolve(uploadId);
        try {
            long size = Files.size(dir.resolve(UPLOAD_DATA));
            if (Files.exists(dir.resolve(EncryptedBlobUpload.TAIL))) {
                if (aead == null) {
                    throw new UploadNotFoundException("upload " + uploadId + " is encrypted and this store has no key");
                }
                return EncryptedBlobUpload.resume(this, aead, uploadId, dir);
            }
            return new FileSystemBlobUpload(this, uploadId, dir, size);
        } catch (NoSuchFileException e) {
            throw new UploadNotFoundException("upload " + uploadId + " not found");
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        // Empty fan-out directories are left in place: at most 256 per algorithm, and removing them would race
        // with a concurrent commit that has just created its parent directory.
        boolean standard = Files.deleteIfExists(blobPath(digest));
        boolean archived = Files.deleteIfExists(archivedPath(digest));
        return standard || archived;
    }

    @Override
    public boolean archive(Digest digest) throws IOException {
        return TierMove.move(this, blobPath(digest), archivedPath(digest));
    }

    @Override
    public boolean restore(Digest digest) throws IOException {
        return TierMove.move(this, archivedPath(digest), blobPath(digest));
    }

    @Override
    public Optional<BlobInfo> statArchived(Digest digest) throws IOException {
        try {
            return Optional.of(new BlobInfo(digest, BlobFiles.blobSize(archivedPath(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }


    @Override
    public void forEach(Consumer<BlobInfo> visitor) throws IOException {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Path algDir = blobsDir.resolve(algorithm.prefix());
            if (!Files.isDirectory(algDir)) {
                continue;
            }
            try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(algDir)) {
                for (Path prefixDir : prefixes) {
                    visitPrefixDir(algorithm, prefixDir, visitor);
                }
            }
        }
    }

    private void visitPrefixDir(Digest.Algorithm algorithm, Path prefixDir, Consumer<BlobInfo> visitor)
            throws IOException {
        String prefix = prefixDir.getFileName().toString();
        if (prefix.length() != 2 || !Files.isDirectory(prefixDir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefixDir)) {
            for (Path file : files) {
                String hex = file.getFileName().toString();
                Optional<Digest> digest = parseDigest(algorithm, hex);
                if (digest.isEmpty() || !hex.startsWith(prefix)) {
                    continue; // stray file (editor backup, operator copy): not a blob of ours
                }
                try {
                    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attrs.isRegularFile()) {
                        visitor.accept(new BlobInfo(digest.get(), BlobFiles.blobSize(file, attrs.size())));
                    }
                } catch (NoSuchFileException e) {
                    // deleted by a concurrent delete() between listing and stat: no longer a blob to report
                }
            }
        }
    }

    private static Optional<Digest> parseDigest(Digest.Algorithm algorithm, String hex) {
        try {
            return Optional.of(Digest.parse(algorithm.prefix() + ":" + hex));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    @Override
    public void forEachUpload(Consumer<UploadInfo> visitor) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploadsDir)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (!UPLOAD_ID.matcher(id).matches()) {
                    continue;
                }
                try {
                    BasicFileAttributes attrs =
                            Files.readAttributes(dir.resolve(UPLOAD_DATA), BasicFileAttributes.class);
                    visitor.accept(new UploadInfo(id, EncryptedBlobUpload.sessionSize(dir, attrs.size()),
                            attrs.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException e) {
                    // committed or cancelled while we listed: the session no longer exists
                }
            }
        }
    }

    @Override
    public void checkHealth() throws IOException {
        Path probe = Files.createTempFile(root, ".health-", ".tmp");
        Files.delete(probe);
    }

    @Override
    public void close() {
        hashStates.clear();
        executor.shutdown();
    }

    // ---- package-private helpers for FileSystemBlobUpload ----

    Path blobPath(Digest digest) {
        String hex = digest.hex();
        return blobsDir.resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    Path archivedPath(Digest digest) {
        String hex = digest.hex();
        return archiveDir.resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** Removes and returns the cached hash state, so only the caller (the session's single writer) uses it. */
    HashState takeHashState(String uploadId) {
        return hashStates.remove(uploadId);
    }

    void putHashState(String uploadId, HashState state) {
        hashStates.put(uploadId, state);
    }

    /**
     * Starts a background fdatasync of a session file when an append took the session across a multiple of the
     * flush interval. A chunked upload's appends (8 MiB PATCHes) never reach the interval one by one, so without
     * this the disk started writing only at commit, and the whole blob waited for it there. Only an early start,
     * never awaited: commit's own force is what makes the blob durable, and a file committed or cancelled since is
     * skipped.
     */
    void flushEarly(Path file, long before, long after) {
        if (flushInterval <= 0 || before / flushInterval == after / flushInterval) {
            return;
        }
        executor.execute(() -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(false);
            } catch (IOException e) {
                // gone (committed or cancelled meanwhile) or failing: a real failure is commit's force to report
            }
        });
    }

    ExecutorService executor() {
        return executor;
    }

    long flushInterval() {
        return flushInterval;
    }

    byte[] borrowBuffer() {
        byte[] buffer = buffers.poll();
        return buffer != null ? buffer : new byte[BUFFER_SIZE];
    }

    void returnBuffer(byte[] buffer) {
        buffers.offer(buffer); // dropped for the GC when the pool is full
    }

    void forgetHashState(String uploadId) {
        hashStates.remove(uploadId);
    }

    /**
     * Creates {@code dir} and any missing parents under the root, fsyncing the parent of each directory created so
     * the new entry itself survives a crash before the blob's rename is made durable.
     */
    void ensureDurableDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        ensureDurableDirectory(parent);
        try {
            PrivateFiles.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // A concurrent commit created it first. Its entry may not be durable yet, so still fsync the parent
            // below rather than rely on the other commit having done so before ours returns.
        }
        fsyncDirectory(parent);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void closeAfterFailure(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
