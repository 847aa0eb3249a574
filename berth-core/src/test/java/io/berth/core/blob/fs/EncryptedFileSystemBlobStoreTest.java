package io.berth.core.blob.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.crypto.SegmentedAead;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.AbstractBlobStoreContractTest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The blob-store contract on the filesystem store that encrypts at rest, and what only it must do: no plaintext
 * byte anywhere under the directory, ranges across segments, sessions that continue in another store instance, a
 * crash mid-write that leaves nothing readable, and plain blobs of before still readable.
 */
class EncryptedFileSystemBlobStoreTest extends AbstractBlobStoreContractTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @Override
    protected BlobStore newStore(Path dir) throws IOException {
        return new FileSystemBlobStore(dir, null, new SegmentedAead(KEY), true);
    }

    /** A layer of a repeated marker, large enough for several segments and a partial last one. */
    private static byte[] marked(int size) {
        byte[] marker = "BERTH-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = marker[i % marker.length];
        }
        return out;
    }

    private static boolean containsMarker(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = "PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private List<Path> markedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(storageDir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return containsMarker(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void noPlaintextByte_restsAnywhere_duringOrAfterAChunkedUpload() throws IOException {
        byte[] content = marked(3 * SegmentedAead.SEGMENT + 1234);
        String id;
        try (BlobUpload u = store.startUpload()) {
            id = u.id();
            u.append(new ByteArrayInputStream(content, 0, 70_000), -1);
        }
        assertThat(markedFiles()).as("session files hold no plaintext").isEmpty();
        try (BlobUpload u = store.resumeUpload(id)) {
            assertThat(u.size()).isEqualTo(70_000);
            u.append(new ByteArrayInputStream(content, 70_000, content.length - 70_000), -1);
            u.commit(Digest.sha256Of(content));
        }
        assertThat(markedFiles()).as("committed blob holds no plaintext").isEmpty();
        Digest d = Digest.sha256Of(content);
        assertThat(store.stat(d).orElseThrow().size()).isEqualTo(content.length);
        assertThat(readAll(d, 0, -1)).isEqualTo(content);
    }

    @Test
    void ranges_acrossSegmentBoundaries_decryptOnlyWhatTheyTouch() throws IOException {
        byte[] content = randomBytes(2 * SegmentedAead.SEGMENT + 500, 3);
        Digest d = commit(content);
        int seg = SegmentedAead.SEGMENT;
        for (long[] r : new long[][] {{0, 10}, {seg - 5, 10}, {seg, seg}, {2L * seg + 499, 1}, {7, -1},
                {2L * seg + 500, -1}}) {
            int from = (int) r[0];
            int to = r[1] == -1 ? content.length : (int) Math.min(content.length, r[0] + r[1]);
            assertThat(readAll(d, r[0], r[1])).as("range %d+%d", r[0], r[1])
                    .isEqualTo(Arrays.copyOfRange(content, from, to));
        }
    }

    @Test
    void aBlobCutShort_orAltered_doesNotRead() throws IOException {
        byte[] content = randomBytes(SegmentedAead.SEGMENT + 100, 4);
        Digest d = commit(content);
        Path file = storageDir.resolve("blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex());
        byte[] raw = Files.readAllBytes(file);
        // a crash that kept only the first segment: without its last-segment mark it does not open
        Files.write(file, Arrays.copyOf(raw, SegmentedAead.HEADER + SegmentedAead.SEALED_SEGMENT));
        assertThatThrownBy(() -> readAll(d, 0, -1)).isInstanceOf(IOException.class);
        raw[raw.length - 3] ^= 1;
        Files.write(file, raw);
        assertThatThrownBy(() -> readAll(d, SegmentedAead.SEGMENT, -1)).isInstanceOf(IOException.class);
    }

    @Test
    void aCrashMidAppend_leavesTheSessionAsOfItsLastAppend() throws IOException {
        byte[] content = randomBytes(3 * SegmentedAead.SEGMENT, 5);
        String id;
        try (BlobUpload u = store.startUpload()) {
            id = u.id();
            u.append(new ByteArrayInputStream(content, 0, 1000), -1);
        }
        // the client dies mid-body after two segments' worth: what it delivered is kept, and sealed
        InputStream dying = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent == 2 * SegmentedAead.SEGMENT) {
                    throw new IOException("connection reset");
                }
                return content[1000 + sent++] & 0xff;
            }
        };
        try (BlobUpload u = store.resumeUpload(id)) {
            assertThatThrownBy(() -> u.append(dying, -1)).hasMessageContaining("reset");
        }
        try (BlobUpload u = store.resumeUpload(id)) {
            assertThat(u.size()).isEqualTo(1000 + 2L * SegmentedAead.SEGMENT);
            u.append(new ByteArrayInputStream(content, (int) u.size(), content.length - (int) u.size()), -1);
            u.commit(Digest.sha256Of(content));
        }
        assertThat(readAll(Digest.sha256Of(content), 0, -1)).isEqualTo(content);
    }

    @Test
    void plainBlobsOfBefore_stayReadable() throws IOException {
        byte[] content = randomBytes(5000, 6);
        Digest d;
        try (BlobStore plain = new FileSystemBlobStore(storageDir)) {
            try (BlobUpload u = plain.startUpload()) {
                u.append(new ByteArrayInputStream(content), -1);
                d = u.commit(Digest.sha256Of(content)).digest();
            }
        }
        assertThat(store.stat(d).orElseThrow().size()).isEqualTo(5000);
        assertThat(readAll(d, 100, 50)).isEqualTo(Arrays.copyOfRange(content, 100, 150));
        assertThat(store.describe()).contains("encrypted at rest");
    }
}
