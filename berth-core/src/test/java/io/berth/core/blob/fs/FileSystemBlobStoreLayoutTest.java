package io.berth.core.blob.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the filesystem backend promises: its on-disk layout and how it recovers from files changed under it. */
class FileSystemBlobStoreLayoutTest {

    @TempDir
    Path root;

    private FileSystemBlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = new FileSystemBlobStore(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void constructor_emptyRoot_createsBlobsAndUploadsDirs() {
        assertThat(root.resolve("blobs")).isDirectory();
        assertThat(root.resolve("uploads")).isDirectory();
        assertThat(store.describe()).isEqualTo("filesystem:" + root.toAbsolutePath().normalize());
    }

    @Test
    void commit_sha256Blob_storedUnderTwoHexFanOut() throws IOException {
        byte[] content = "hello".getBytes();
        Digest digest = Digest.sha256Of(content);
        String uploadId;
        try (BlobUpload upload = store.startUpload()) {
            uploadId = upload.id();
            assertThat(root.resolve("uploads").resolve(uploadId).resolve("data")).isRegularFile();
            upload.append(new ByteArrayInputStream(content), -1);
            upload.commit(digest);
        }
        Path blob = root.resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertThat(blob).hasBinaryContent(content);
        assertThat(root.resolve("uploads").resolve(uploadId)).doesNotExist();
    }

    @Test
    void forEach_strayFilesInBlobsDir_skipsThem() throws IOException {
        Digest digest = Digest.sha256Of("real".getBytes());
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream("real".getBytes()), -1);
            upload.commit(digest);
        }
        Path sha = root.resolve("blobs/sha256");
        Path fanOut = sha.resolve(digest.hex().substring(0, 2));
        Files.writeString(fanOut.resolve(digest.hex() + ".bak"), "x");
        Files.writeString(fanOut.resolve("not-a-digest"), "x");
        String wrongPrefix = (digest.hex().startsWith("00") ? "11" : "00") + digest.hex().substring(2);
        Files.writeString(fanOut.resolve(wrongPrefix), "x");
        Files.createDirectories(sha.resolve("zzz"));
        Files.writeString(sha.resolve("README"), "x");
        Files.createDirectories(root.resolve("blobs/md5/ab"));
        Files.writeString(root.resolve("blobs/md5/ab/abcdef"), "x");

        List<BlobStore.BlobInfo> seen = new ArrayList<>();
        store.forEach(seen::add);

        assertThat(seen).containsExactly(new BlobStore.BlobInfo(digest, 4));
    }

    @Test
    void append_sessionFileLostTailBehindCachedHash_rehashesAndCommits() throws IOException {
        byte[] content = new byte[3 << 20];
        new Random(1).nextBytes(content);
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
            upload.append(new ByteArrayInputStream(content, 0, 2 << 20), -1);
        }
        // As after a crash before the page cache reached the disk: the file is shorter than the cached hash covers.
        int kept = 1_000_000;
        try (FileChannel ch = FileChannel.open(root.resolve("uploads").resolve(id).resolve("data"),
                StandardOpenOption.WRITE)) {
            ch.truncate(kept);
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            assertThat(upload.size()).isEqualTo(kept);
            upload.append(new ByteArrayInputStream(content, kept, content.length - kept), -1);
            upload.commit(Digest.sha256Of(content));
        }
        assertThat(store.stat(Digest.sha256Of(content))).contains(new BlobStore.BlobInfo(Digest.sha256Of(content),
                content.length));
    }

    @Test
    void forEachUpload_directoryWithoutDataFile_skipsIt() throws IOException {
        Files.createDirectories(root.resolve("uploads/AAAAAAAAAAAAAAAAAAAAAA"));
        Files.createDirectories(root.resolve("uploads/not valid"));
        List<BlobStore.UploadInfo> seen = new ArrayList<>();
        store.forEachUpload(seen::add);
        assertThat(seen).isEmpty();
    }
}
