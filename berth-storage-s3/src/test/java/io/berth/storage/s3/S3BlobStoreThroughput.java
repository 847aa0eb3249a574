package io.berth.storage.s3;

import io.berth.core.blob.fs.FileSystemBlobStore;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Throwaway measurement, not a test: one 64 MiB blob pushed (monolithic append + commit, and in 8 MiB chunks on
 * fresh sessions) and read back, on S3 (S3Proxy's in-memory store in this JVM, so the figure is Berth's and the SDK's
 * cost, not a network's) beside the filesystem store, interleaved so machine noise hits both alike. Run with
 * {@code java -cp "berth-storage-s3/target/test-classes:berth-storage-s3/target/classes:$(cat
 * berth-storage-s3/target/s3proxy.classpath)" io.berth.storage.s3.S3BlobStoreThroughput [rounds [part-concurrency]]}.
 */
public final class S3BlobStoreThroughput {
    public static void main(String[] args) throws Exception {
        int mib = 64;
        byte[] content = new byte[mib << 20];
        new Random(7).nextBytes(content);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int parts = args.length > 1 ? Integer.parseInt(args[1]) : S3Settings.DEFAULT_PART_CONCURRENCY;
        Path fsRoot = Files.createTempDirectory("berth-s3-bench");
        try (S3ProxyServer server = S3ProxyServer.start(S3Fixture.BUCKET)) {
            for (int round = 0; round < rounds; round++) {
                content[round] ^= 1; // a new digest per round: no commit finds its blob already stored
                try (BlobStore fs = new FileSystemBlobStore(fsRoot.resolve("r" + round));
                     BlobStore s3 = S3BlobStore.open(S3Fixture.settings("bench" + round, server.endpoint(),
                             java.time.Duration.ofSeconds(60)).withPartConcurrency(parts), S3Fixture.CREDENTIALS)) {
                    System.out.printf("round %d: filesystem %s | s3 %s%n", round, measure(fs, content, mib),
                            measure(s3, content, mib));
                }
            }
        }
    }

    private static String measure(BlobStore store, byte[] content, int mib) throws IOException {
        Digest digest = Digest.sha256Of(content);
        long t0 = System.nanoTime();
        try (BlobUpload upload = store.startUpload()) {
            upload.append(new ByteArrayInputStream(content), -1);
            upload.commit(digest);
        }
        long t1 = System.nanoTime();
        store.delete(digest);
        String id;
        try (BlobUpload upload = store.startUpload()) {
            id = upload.id();
        }
        int chunk = 8 << 20;
        for (int off = 0; off < content.length; off += chunk) {
            try (BlobUpload upload = store.resumeUpload(id)) {
                upload.append(new ByteArrayInputStream(content, off, chunk), -1);
            }
        }
        try (BlobUpload upload = store.resumeUpload(id)) {
            upload.commit(digest);
        }
        long t2 = System.nanoTime();
        byte[] buffer = new byte[1 << 20];
        try (BlobStore.BlobReader reader = store.open(digest, 0, -1); InputStream in = reader.stream()) {
            while (in.read(buffer) >= 0) {
                // drain
            }
        }
        long t3 = System.nanoTime();
        store.delete(digest); // S3Proxy's in-memory store would otherwise fill the heap over the rounds
        return String.format("push %.0f MiB/s, chunked push %.0f MiB/s, pull %.0f MiB/s", mib / ((t1 - t0) / 1e9),
                mib / ((t2 - t1) / 1e9), mib / ((t3 - t2) / 1e9));
    }
}
