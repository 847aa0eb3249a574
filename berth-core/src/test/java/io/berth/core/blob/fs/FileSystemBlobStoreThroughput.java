package io.berth.core.blob.fs;

import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Throwaway measurement, not a test: a 256 MiB single-stream append+commit against pure SHA-256 over the same bytes,
 * interleaved so machine noise hits both alike. Run with
 * {@code java -cp berth-core/target/classes:berth-core/target/test-classes io.berth.core.blob.fs.FileSystemBlobStoreThroughput [dir]}.
 */
public final class FileSystemBlobStoreThroughput {
    public static void main(String[] args) throws IOException {
        int mib = 256;
        byte[] content = new byte[mib << 20];
        new Random(42).nextBytes(content);
        Digest digest = Digest.sha256Of(content);
        Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("/tmp"), "berth-bench");
        try {
            long flush = args.length > 1 ? Long.parseLong(args[1]) << 20 : FileSystemBlobStore.DEFAULT_FLUSH_INTERVAL;
            int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (int off = 0; off < content.length; off += 1 << 20) {
                    md.update(content, off, 1 << 20);
                }
                md.digest();
                long t1 = System.nanoTime();
                Path root = base.resolve("r" + round);
                long appendEnd;
                try (FileSystemBlobStore store = new FileSystemBlobStore(root, flush);
                     BlobUpload upload = store.startUpload()) {
                    upload.append(new ByteArrayInputStream(content), -1);
                    appendEnd = System.nanoTime();
                    upload.commit(digest);
                }
                long t2 = System.nanoTime();
                System.out.printf("round %d: sha256 %6.0f MiB/s   append+commit %6.0f MiB/s (append %4d ms, commit %4d ms)%n",
                        round, mib / ((t1 - t0) / 1e9), mib / ((t2 - t1) / 1e9),
                        (appendEnd - t1) / 1_000_000, (t2 - appendEnd) / 1_000_000);
                deleteTree(root);
            }
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            deleteTree(base);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }
}
