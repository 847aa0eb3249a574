package io.berth.bench;

import java.security.MessageDigest;

/** The JVM's single-thread SHA-256 speed: MessageDigest over 1 MiB buffers, after a short warm-up. */
final class ShaBench {

    private ShaBench() {
    }

    static Measurement run(int totalMiB) throws Exception {
        byte[] buf = BlobBench.randomBlob(1);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 64; i++) {
            md.update(buf);
        }
        md.digest();
        long t0 = System.nanoTime();
        for (int i = 0; i < totalMiB; i++) {
            md.update(buf);
        }
        byte[] d = md.digest();
        double s = (System.nanoTime() - t0) / 1e9;
        if (d.length != 32) {
            throw new IllegalStateException();
        }
        return Measurement.single(totalMiB / s, "MiB/s");
    }
}
