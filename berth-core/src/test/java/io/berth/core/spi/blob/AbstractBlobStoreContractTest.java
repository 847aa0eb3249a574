package io.berth.core.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guarantees of {@link BlobStore} and {@link BlobUpload}, which every backend must pass with a one-line subclass.
 * Sizes above one MiB are deliberate: they cross the transfer-buffer boundaries where streaming bugs hide.
 */
public abstract class AbstractBlobStoreContractTest {

    private static final int MIB = 1 << 20;

    @TempDir
    protected Path storageDir;

    protected BlobStore store;

    /**
     * A store over the storage identified by {@code dir}. Two stores made from the same {@code dir} must share their
     * blobs and upload sessions, as two nodes (or one node before and after a restart) do.
     */
    protected abstract BlobStore newStore(Path dir) throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore(storageDir);
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void commit_matchingDigest_makesBlobVisible() throws IOException {
        byte[] content = randomBytes(3 * MIB + 17, 1);
        Digest digest = Digest.sha256Of(content);

        BlobStore.BlobInfo info;
        try (BlobUpload upload = store.startUpload()) {
            assertThat(upload.append(new ByteArrayInputStream(content), -1)).isEqualTo(content.length);
            info = upload.commit(digest);
        }

        assertThat(info).isEqualTo(new BlobStore.BlobInfo(digest, content.length));
        assertThat(store.stat(digest)).contains(new BlobStore.BlobInfo(digest, content.length));
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
    }

    @Test
    void commit_emptyContent_storesEmptyBlob() throws IOException {
        Digest digest = Digest.sha256Of(new byte[0]);
        try (BlobUpload upload = store.startUpload()) {
            upload.commit(digest);
        }
        assertThat(store.stat(digest)).contains(new BlobStore.BlobInfo(digest, 0));
        assertThat(readAll(digest, 0, -1)).isEmpty();
    }

    @Test
    void stat_uploadNotCommitted_isEmpty() throws IOException {
        byte[] content = randomBytes(1000, 2);
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream(content), -1);
            assertThat(store.stat(Digest.sha256Of(content))).isEmpty();
            assertThatThrownBy(() -> store.open(Digest.sha256Of(content), 0, -1))
                    .isInstanceOf(BlobNotFoundException.class);
        }
    }

    @Test
    void commit_digestMismatch_throwsAndLeavesNothing() throws IOException {
        byte[] content = randomBytes(2 * MIB + 5, 3);
        Digest actual = Digest.sha256Of(content);
        Digest claimed = Digest.sha256Of("something else".getBytes());
        BlobUpload upload = store.startUpload();
        upload.append(new ByteArrayInputStream(content), -1);

        assertThatThrownBy(() -> upload.commit(claimed))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("content hashes to " + actual)
                .hasMessageContaining("client named " + claimed);
        upload.close();

        assertThat(store.stat(claimed)).isEmpty();
        assertThat(store.stat(actual)).isEmpty();
        assertThatThrownBy(() -> store.resumeUpload(upload.id())).isInstanceOf(UploadNotFoundException.class);
        assertThat(uploadIds()).doesNotContain(upload.id());
    }

    @Test
    void append_severalChunks_hashesWholeContent() throws IOException {
        byte[] content = randomBytes(5 * MIB + 3, 4);
        int[] cuts = {0, 10, MIB + 1, 4 * MIB, content.length};
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
        }
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (BlobUpload upload = store.resumeUpload(id)) {
                assertThat(upload.size()).isEqualTo(cuts[i]);
                long n = upload.append(new ByteArrayInputStream(content, cuts[i], cuts[i + 1] - cuts[i]), -1);
                assertThat(n).isEqualTo(cuts[i + 1] - cuts[i]);
                assertThat(upload.size()).isEqualTo(cuts[i + 1]);
            }
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(readAll(Digest.sha256Of(content), 0, -1)).isEqualTo(content);
    }

    @Test
    void resumeUpload_afterRestart_continuesHashFromStoredBytes() throws IOException {
        byte[] content = randomBytes(3 * MIB + 1, 5);
        int half = 1_500_000;
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(content, 0, half), -1);
        }
        store.close();

        store = newStore(storageDir);
        try (BlobUpload upload = store.resumeUpload(id)) {
            assertThat(upload.size()).isEqualTo(half);
            upload.append(new ByteArrayInputStream(content, half, content.length - half), -1);
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(readAll(Digest.sha256Of(content), 0, -1)).isEqualTo(content);
    }

    @Test
    void resumeUpload_otherStoreWroteLastChunk_hashesAllBytes() throws IOException {
        byte[] content = randomBytes(2 * MIB, 6);
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(content, 0, MIB), -1);
        }
        // A second node serves the next chunk; the first node's cached hash no longer covers the file.
        try (BlobStore other = newStore(storageDir); BlobUpload upload = other.resumeUpload(id)) {
            upload.append(new ByteArrayInputStream(content, MIB, MIB), -1);
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            assertThat(upload.size()).isEqualTo(content.length);
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(readAll(Digest.sha256Of(content), 0, -1)).isEqualTo(content);
    }

    @Test
    void commit_sha512Digest_verifiesWithSha512() throws IOException {
        byte[] content = randomBytes(MIB + 99, 7);
        Digest digest = Digest.compute(Digest.Algorithm.SHA512, content);
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream(content), -1);
            assertThat(upload.commit(digest)).isEqualTo(new BlobStore.BlobInfo(digest, content.length));
        }
        assertThat(store.stat(digest)).contains(new BlobStore.BlobInfo(digest, content.length));
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
    }

    @Test
    void commit_sha512DigestOfOtherContent_throwsMismatch() throws IOException {
        Digest claimed = Digest.compute(Digest.Algorithm.SHA512, "other".getBytes());
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream("content".getBytes()), -1);
            assertThatThrownBy(() -> upload.commit(claimed)).isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining("sha512:");
        }
        assertThat(store.stat(claimed)).isEmpty();
    }

    @Test
    void commit_digestAlreadyStored_succeedsAndKeepsContent() throws IOException {
        byte[] content = randomBytes(4096, 8);
        Digest digest = Digest.sha256Of(content);
        commit(content);
        String secondId;
        try (BlobUpload upload = store.startUpload()) {
            secondId = upload.id();
            upload.append(new ByteArrayInputStream(content), -1);
            assertThat(upload.commit(digest)).isEqualTo(new BlobStore.BlobInfo(digest, content.length));
        }
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
        assertThatThrownBy(() -> store.resumeUpload(secondId)).isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void commit_sameDigestFromTwoSessionsConcurrently_bothSucceed() throws Exception {
        byte[] content = randomBytes(2 * MIB + 7, 9);
        Digest digest = Digest.sha256Of(content);
        BlobUpload first = store.startUpload();
        BlobUpload second = store.startUpload();
        first.append(new ByteArrayInputStream(content), -1);
        second.append(new ByteArrayInputStream(content), -1);
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<BlobStore.BlobInfo>> results = new ArrayList<>();
            for (BlobUpload upload : List.of(first, second)) {
                Callable<BlobStore.BlobInfo> commit = () -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return upload.commit(digest);
                };
                results.add(pool.submit(commit));
            }
            for (Future<BlobStore.BlobInfo> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new BlobStore.BlobInfo(digest, content.length));
            }
        } finally {
            pool.shutdownNow();
            first.close();
            second.close();
        }
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
        assertThat(uploadIds()).doesNotContain(first.id(), second.id());
    }

    @Test
    void open_offsetAndLength_returnsThatRange() throws IOException {
        byte[] content = randomBytes(3 * MIB, 10);
        Digest digest = commit(content);
        int offset = MIB + 3;
        int length = MIB + 11;

        try (BlobStore.BlobReader reader = store.open(digest, offset, length)) {
            assertThat(reader.length()).isEqualTo(length);
            assertThat(reader.stream().readAllBytes())
                    .isEqualTo(Arrays.copyOfRange(content, offset, offset + length));
        }
    }

    @Test
    void open_lengthMinusOne_readsToEnd() throws IOException {
        byte[] content = randomBytes(10_000, 11);
        Digest digest = commit(content);
        try (BlobStore.BlobReader reader = store.open(digest, 9_000, -1)) {
            assertThat(reader.length()).isEqualTo(1_000);
            assertThat(reader.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 9_000, 10_000));
        }
    }

    @Test
    void open_fileChannelWhenOffered_isPositionedAtOffset() throws IOException {
        byte[] content = randomBytes(10_000, 12);
        Digest digest = commit(content);
        try (BlobStore.BlobReader reader = store.open(digest, 1234, 100)) {
            Optional<FileChannel> channel = reader.fileChannel();
            if (channel.isPresent()) {
                assertThat(channel.get().position()).isEqualTo(1234);
                ByteBuffer buffer = ByteBuffer.allocate(100);
                while (buffer.hasRemaining() && channel.get().read(buffer) >= 0) {
                    // fill
                }
                assertThat(buffer.array()).isEqualTo(Arrays.copyOfRange(content, 1234, 1334));
            }
        }
    }

    @Test
    void open_absentDigest_throwsBlobNotFound() {
        Digest digest = Digest.sha256Of("never stored".getBytes());
        assertThatThrownBy(() -> store.open(digest, 0, -1)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void append_inputFailsMidway_keepsExactlyDeliveredBytes() throws IOException {
        byte[] content = randomBytes(4 * MIB, 13);
        int delivered = 2 * MIB + 12_345; // ends inside a transfer buffer, after full ones went to the writer
        IOException cutOff = new IOException("connection reset");
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            InputStream failing = new FailingInputStream(content, delivered, cutOff);
            assertThatThrownBy(() -> upload.append(failing, -1)).isSameAs(cutOff);
            assertThat(upload.size()).isEqualTo(delivered);
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            assertThat(upload.size()).isEqualTo(delivered);
            upload.append(new ByteArrayInputStream(content, delivered, content.length - delivered), -1);
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(readAll(Digest.sha256Of(content), 0, -1)).isEqualTo(content);
    }

    @Test
    void append_pastMaxBytes_throwsTooLargeAndKeepsAtMostMaxBytes() throws IOException {
        byte[] content = randomBytes(4 * MIB, 14);
        long max = 3 * MIB + 1;
        try (BlobUpload upload = store.startUpload()) {
            assertThatThrownBy(() -> upload.append(new ByteArrayInputStream(content), max))
                    .isInstanceOf(BlobUploadTooLargeException.class);
            assertThat(upload.size()).isLessThanOrEqualTo(max);
            upload.cancel();
        }
        assertThat(store.stat(Digest.sha256Of(content))).isEmpty();
    }

    @Test
    void append_exactlyMaxBytes_succeeds() throws IOException {
        byte[] content = randomBytes(MIB, 15);
        try (BlobUpload upload = store.startUpload()) {
            assertThat(upload.append(new ByteArrayInputStream(content), content.length)).isEqualTo(content.length);
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(store.stat(Digest.sha256Of(content))).isPresent();
    }

    @Test
    void cancel_calledTwice_isIdempotentAndEndsSession() throws IOException {
        BlobUpload upload = store.startUpload();
        upload.append(new ByteArrayInputStream(new byte[100]), -1);
        upload.cancel();
        upload.cancel();
        upload.close();
        assertThatThrownBy(() -> store.resumeUpload(upload.id())).isInstanceOf(UploadNotFoundException.class);
        assertThat(uploadIds()).doesNotContain(upload.id());
    }

    @Test
    void cancel_fromResumedSession_endsSession() throws IOException {
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            upload.cancel();
        }
        assertThatThrownBy(() -> store.resumeUpload(id)).isInstanceOf(UploadNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "..", ".", "a/b", "../../etc/passwd", "AAAAAAAAAAAAAAAAAAAAAA", "with space"})
    void resumeUpload_unknownOrUnsafeId_throwsUploadNotFound(String id) {
        assertThatThrownBy(() -> store.resumeUpload(id)).isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void resumeUpload_committedSession_throwsUploadNotFound() throws IOException {
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(new byte[10]), -1);
            upload.commit(Digest.sha256Of(new byte[10]));
        }
        assertThatThrownBy(() -> store.resumeUpload(id)).isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void startUpload_manySessions_idsAreUrlSafeAndDistinct() throws IOException {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (BlobUpload upload = store.startUpload()) {
                assertThat(upload.id()).matches("[A-Za-z0-9_-]+");
                assertThat(upload.size()).isZero();
                ids.add(upload.id());
            }
        }
        assertThat(ids).hasSize(20);
    }

    @Test
    void forEach_committedBlobs_visitsEachOnce() throws IOException {
        Digest a = commit(randomBytes(10, 16));
        Digest b = commit(randomBytes(2000, 17));
        byte[] c = randomBytes(300, 18);
        Digest cDigest = Digest.compute(Digest.Algorithm.SHA512, c);
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream(c), -1);
            upload.commit(cDigest);
        }
        try (BlobUpload pending = store.startUpload()) {
            pending.append(new ByteArrayInputStream(new byte[5]), -1);
        }

        List<BlobStore.BlobInfo> seen = new ArrayList<>();
        store.forEach(seen::add);

        assertThat(seen).containsExactlyInAnyOrder(new BlobStore.BlobInfo(a, 10), new BlobStore.BlobInfo(b, 2000),
                new BlobStore.BlobInfo(cDigest, 300));
    }

    @Test
    void forEachUpload_openSessions_reportsIdSizeAndTime() throws IOException {
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(new byte[123]), -1);
        }
        commit(randomBytes(10, 19));

        List<BlobStore.UploadInfo> seen = new ArrayList<>();
        store.forEachUpload(seen::add);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).uploadId()).isEqualTo(id);
        assertThat(seen.get(0).size()).isEqualTo(123);
        assertThat(seen.get(0).lastModified()).isNotNull();
    }

    @Test
    void delete_existingBlob_returnsTrueAndRemovesIt() throws IOException {
        Digest digest = commit(randomBytes(100, 20));
        assertThat(store.delete(digest)).isTrue();
        assertThat(store.stat(digest)).isEmpty();
        assertThat(store.delete(digest)).isFalse();
        List<BlobStore.BlobInfo> seen = new ArrayList<>();
        store.forEach(seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void delete_absentBlob_returnsFalse() throws IOException {
        assertThat(store.delete(Digest.sha256Of("absent".getBytes()))).isFalse();
    }

    @Test
    void checkHealth_writableStorage_passes() throws IOException {
        store.checkHealth();
        assertThat(store.describe()).isNotBlank();
    }

    @Test
    void archive_committedBlob_hidesItUntilRestored() throws IOException {
        byte[] content = randomBytes(MIB + 5, 30);
        Digest digest = commit(content);
        assertThat(store.archive(digest)).isTrue();
        assertThat(store.stat(digest)).isEmpty();
        assertThatThrownBy(() -> store.open(digest, 0, -1)).isInstanceOf(BlobNotFoundException.class);
        assertThat(store.statArchived(digest)).contains(new BlobStore.BlobInfo(digest, content.length));
        List<BlobStore.BlobInfo> seen = new ArrayList<>();
        store.forEach(seen::add);
        assertThat(seen).isEmpty();

        assertThat(store.restore(digest)).isTrue();
        assertThat(store.statArchived(digest)).isEmpty();
        assertThat(store.stat(digest)).contains(new BlobStore.BlobInfo(digest, content.length));
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
    }

    @Test
    void archive_twiceAndRestoreTwice_areIdempotent() throws IOException {
        Digest digest = commit(randomBytes(100, 31));
        assertThat(store.archive(digest)).isTrue();
        assertThat(store.archive(digest)).isTrue();
        assertThat(store.restore(digest)).isTrue();
        assertThat(store.restore(digest)).isTrue();
        assertThat(store.stat(digest)).isPresent();
        assertThat(store.statArchived(digest)).isEmpty();
    }

    @Test
    void archive_absentBlob_returnsFalse() throws IOException {
        Digest absent = Digest.sha256Of("absent".getBytes());
        assertThat(store.archive(absent)).isFalse();
        assertThat(store.restore(absent)).isFalse();
        assertThat(store.statArchived(absent)).isEmpty();
    }

    @Test
    void restore_blobCommittedAgainWhileArchived_keepsOneCopy() throws IOException {
        byte[] content = randomBytes(200, 32);
        Digest digest = commit(content);
        store.archive(digest);
        commit(content); // a client that found it absent uploaded it again
        assertThat(store.stat(digest)).isPresent();
        assertThat(store.restore(digest)).isTrue();
        assertThat(store.statArchived(digest)).isEmpty();
        assertThat(readAll(digest, 0, -1)).isEqualTo(content);
    }

    @Test
    void delete_archivedBlob_removesItFromTheArchive() throws IOException {
        Digest digest = commit(randomBytes(100, 33));
        store.archive(digest);
        assertThat(store.delete(digest)).isTrue();
        assertThat(store.statArchived(digest)).isEmpty();
        assertThat(store.restore(digest)).isFalse();
    }

    @Test
    void archive_seenByAnotherStoreOverTheSameStorage() throws IOException {
        Digest digest = commit(randomBytes(100, 34));
        store.archive(digest);
        try (BlobStore other = newStore(storageDir)) {
            assertThat(other.statArchived(digest)).isPresent();
            assertThat(other.restore(digest)).isTrue();
        }
        assertThat(store.stat(digest)).isPresent();
    }

    // ---- helpers ----

    protected Digest commit(byte[] content) throws IOException {
        Digest digest = Digest.sha256Of(content);
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream(content), -1);
            upload.commit(digest);
        }
        return digest;
    }

    protected byte[] readAll(Digest digest, long offset, long length) throws IOException {
        try (BlobStore.BlobReader reader = store.open(digest, offset, length); InputStream in = reader.stream()) {
            return in.readAllBytes();
        }
    }

    private List<String> uploadIds() throws IOException {
        List<String> ids = new ArrayList<>();
        store.forEachUpload(info -> ids.add(info.uploadId()));
        return ids;
    }

    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Delivers the first {@code limit} bytes in uneven reads, then fails as a reset connection would. */
    private static final class FailingInputStream extends InputStream {
        private final byte[] content;
        private final int limit;
        private final IOException failure;
        private int position;

        FailingInputStream(byte[] content, int limit, IOException failure) {
            this.content = content;
            this.limit = limit;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= limit) {
                throw failure;
            }
            int n = Math.min(Math.min(len, 65_537), limit - position);
            System.arraycopy(content, position, b, off, n);
            position += n;
            return n;
        }
    }
}
