package io.berth.core.blob.fs;

import io.berth.core.crypto.SegmentedAead;
import io.berth.core.model.Digest;
import io.berth.core.spi.blob.BlobStore;
import io.berth.core.spi.blob.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Throwaway measurement, not a test: upload (append + commit) and download of one blob through the plain and the
 * encrypting filesystem store, interleaved so machine noise hits both alike; prints MB/s and the ratio. Run with
 * {@code java -cp berth-core/target/classes:berth-core/target/test-classes io.berth.core.blob.fs.EncryptedThroughput [MiB] [rounds]}.
 */
public final class EncryptedThroughput {
    public static void main(String[] args) throws IOException {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[] content = new byte[mib << 20];
        new Random(42).nextBytes(content);
        Digest digest = Digest.sha256Of(content);
        SegmentedAead aead = new SegmentedAead(new byte[32]);
        double[] best = new double[4];
        Path base = Files.createTempDirectory("berth-enc-bench");
        try {
            for (int round = 0; round < rounds; round++) {
                for (int kind = 0; kind < 2; kind++) {
                    Path root = base.resolve("r" + round + "k" + kind);
                    try (BlobStore store = kind == 0 ? new FileSystemBlobStore(root)
                            : new FileSystemBlobStore(root, null, aead, true)) {
                        long t0 = System.nanoTime();
                        try (BlobUpload upload = store.startUpload()) {
                            upload.append(new ByteArrayInputStream(content), -1);
                            upload.commit(digest);
                        }
                        long t1 = System.nanoTime();
                        byte[] buf = new byte[1 << 20];
                        try (BlobStore.BlobReader r = store.open(digest, 0, -1); InputStream in = r.stream()) {
                            while (in.read(buf) >= 0) {
                                // drain
                            }
                        }
                        long t2 = System.nanoTime();
                        best[kind * 2] = Math.max(best[kind * 2], mib * 1.048576e9 / (t1 - t0));
                        best[kind * 2 + 1] = Math.max(best[kind * 2 + 1], mib * 1.048576e9 / (t2 - t1));
                    }
                    deleteTree(root);
                }
            }
            System.out.printf("upload   plain %.0f MB/s, encrypted %.0f MB/s, ratio %.2f%n", best[0], best[2],
                    best[2] / best[0]);
            System.out.printf("download plain %.0f MB/s, encrypted %.0f MB/s, ratio %.2f%n", best[1], best[3],
                    best[3] / best[1]);
        } finally {
            deleteTree(base);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
