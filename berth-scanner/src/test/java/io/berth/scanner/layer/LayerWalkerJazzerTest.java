package io.berth.scanner.layer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.model.Digest;
import io.berth.scanner.inventory.InventoryFinders;
import io.berth.scanner.result.ScanFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the layer walker and every finder behind it (the real selector and inventory
 * assembly), with small limits so a bomb is found quickly. Any input must give an inventory or a ScanFailure; any
 * other exception, a hang or an OutOfMemoryError is a finding. The fuzzer's bytes are the layer, stored plain or
 * gzip- or zstd-compressed, after a seed tar of real package files half the time. Replay of the saved inputs by
 * default; {@code -Dberth.fuzz=1} fuzzes for 30 s.
 */
class LayerWalkerJazzerTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong SCANNED = new AtomicLong();
    private static final WalkLimits SMALL = new WalkLimits(1 << 20, 8 << 20, 10_000, 64, 1024, 4 << 20);
    private static final InventoryFinders FINDERS = new InventoryFinders();
    private static final byte[] SEED = new Tars().file("etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n")
            .file("var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVersion: 1.0\nSource: b (0.9)\n")
            .file("lib/apk/db/installed", "P:musl\nV:1.2\no:musl\n")
            .file("x.dist-info/METADATA", "Name: x\nVersion: 1\n")
            .file("node_modules/y/package.json", "{\"name\":\"y\",\"version\":\"2\"}")
            .symlink("l", "/etc/os-release").hardlink("h", "etc/os-release").whiteout("gone").tar();
    private static final long START = System.nanoTime();

    @FuzzTest(maxDuration = "30s")
    void walk_anyLayer_givesAnInventoryOrAScanFailure(FuzzedDataProvider data) throws Exception {
        INPUTS.incrementAndGet();
        int mode = data.consumeInt(0, 2);
        boolean seeded = data.consumeBoolean();
        byte[] fuzz = data.consumeRemainingAsBytes();
        byte[] tar = seeded ? splice(SEED, fuzz) : fuzz;
        byte[] stored = switch (mode) {
            case 0 -> tar;
            case 1 -> Tars.gzip(tar);
            default -> Tars.zstd(tar);
        };
        Layer layer = new Layer("application/vnd.oci.image.layer.v1.tar", Digest.sha256Of(stored), stored.length,
                () -> new java.io.ByteArrayInputStream(stored));
        try {
            FINDERS.inventory(new LayerWalker(FINDERS.selector(), SMALL).walk(List.of(layer, layer)));
            SCANNED.incrementAndGet();
        } catch (ScanFailure expected) {
            // a typed failure is what hostile input must give
        }
    }

    /** The fuzzer's bytes overwrite the seed from an offset they choose (first 2 bytes), keeping its length. */
    private static byte[] splice(byte[] seed, byte[] fuzz) {
        byte[] out = seed.clone();
        if (fuzz.length < 2) {
            return out;
        }
        int at = ((fuzz[0] & 0xff) << 8 | (fuzz[1] & 0xff)) % seed.length;
        System.arraycopy(fuzz, 2, out, at, Math.min(fuzz.length - 2, seed.length - at));
        return out;
    }

    @AfterAll
    static void report() {
        System.out.printf("LayerWalkerJazzerTest: %d inputs in %d ms (%d scanned)%n", INPUTS.get(),
                (System.nanoTime() - START) / 1_000_000, SCANNED.get());
    }
}
