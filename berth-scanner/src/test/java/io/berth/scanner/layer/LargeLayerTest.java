package io.berth.scanner.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB layer streams through the walker in this module's test heap of 256 MiB (surefire's -Xmx256m), digest
 * checked: the layer is generated on the fly (a tar header, 1 GiB of data, a kept file, the end blocks), never held.
 */
class LargeLayerTest {
    private static final long GIB = 1L << 30;
    private static final byte[] BLOCK = new byte[4096];

    static {
        new java.util.Random(42).nextBytes(BLOCK);
    }

    @Test
    void walk_smallGeneratedLayer_hashesAsGenerated() throws Exception {
        Digest digest = Digest.of(Digest.Algorithm.SHA256, hash(new GeneratedLayer(1 << 20)));
        Layer layer = new Layer("application/vnd.oci.image.layer.v1.tar", digest, -1, () -> new GeneratedLayer(1 << 20));
        new LayerWalker((p, s, m) -> Selector.SKIP, WalkLimits.DEFAULT).walk(List.of(layer));
    }

    @Test
    void walk_oneGibLayer_streamsInASmallHeap() throws Exception {
        Digest digest = Digest.of(Digest.Algorithm.SHA256, hash(new GeneratedLayer(GIB)));
        long max = Runtime.getRuntime().maxMemory();
        assertThat(max).as("the test heap is smaller than the layer").isLessThan(GIB / 2);
        Layer layer = new Layer("application/vnd.oci.image.layer.v1.tar", digest, -1, () -> new GeneratedLayer(GIB));
        long start = System.nanoTime();
        ImageFiles files = new LayerWalker((p, s, m) -> p.equals("small") ? new Selector.Keep(64) : Selector.SKIP,
                WalkLimits.DEFAULT).walk(List.of(layer));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(files.read("small")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("kept"));
        System.out.printf("LargeLayerTest: 1 GiB layer walked in %d ms with a %d MiB heap%n", ms, max >> 20);
    }

    private static byte[] hash(InputStream in) throws IOException {
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    /** header("big", 1 GiB) + 1 GiB of a repeating pattern + header("small") + "kept" padded + two zero blocks. */
    private static final class GeneratedLayer extends InputStream {
        private final byte[][] parts;
        private long pos;
        private final long total;
        private final long bigStart = 512;
        private final long bigEnd;
        private final byte[] tail;
        private final byte[] head;

        GeneratedLayer(long bigSize) {
            bigEnd = 512 + bigSize;
            head = header("big", bigSize);
            byte[] small = header("small", 4);
            tail = new byte[512 + 512 + 1024];
            System.arraycopy(small, 0, tail, 0, 512);
            System.arraycopy("kept".getBytes(), 0, tail, 512, 4);
            parts = new byte[][] {head, tail};
            total = bigEnd + tail.length;
        }

        private static byte[] header(String name, long size) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            e.setModTime(0);   // the header must be the same bytes in both passes
            byte[] h = new byte[512];
            e.writeEntryHeader(h);
            return h;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= total) {
                return -1;
            }
            int n;
            if (pos < bigStart) {
                n = (int) Math.min(len, bigStart - pos);
                System.arraycopy(head, (int) pos, b, off, n);
            } else if (pos < bigEnd) {
                // the data repeats a 4 KiB pseudo-random block; copied so each read is cheap
                int at = (int) ((pos - bigStart) % BLOCK.length);
                n = (int) Math.min(Math.min(len, bigEnd - pos), BLOCK.length - at);
                System.arraycopy(BLOCK, at, b, off, n);
            } else {
                n = (int) Math.min(len, total - pos);
                System.arraycopy(tail, (int) (pos - bigEnd), b, off, n);
            }
            pos += n;
            return n;
        }
    }
}
