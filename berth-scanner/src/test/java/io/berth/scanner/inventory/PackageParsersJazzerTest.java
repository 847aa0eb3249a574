package io.berth.scanner.inventory;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.result.ScanFailure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of each package-file parser on its own: dpkg status, apk installed, Python METADATA,
 * package.json, os-release, rpm header blobs, Go build info and jars. Each must return packages or throw
 * ScanFailure; anything else is a finding. The first byte picks the parser; half the inputs are fuzzer bytes spliced
 * into a valid seed of that format. Replay by default; {@code -Dberth.fuzz=1} fuzzes for 60 s.
 */
class PackageParsersJazzerTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong PARSED = new AtomicLong();
    private static final long START = System.nanoTime();
    private static final byte[][] SEEDS = {
            "Package: a\nStatus: install ok installed\nVersion: 1:1.0-1\nSource: b (1.0-1)\nDescription: x\n y\n\n"
                    .getBytes(StandardCharsets.UTF_8),
            "C:Q1=\nP:musl\nV:1.2-r0\no:musl\n\nP:b\nV:2\n".getBytes(StandardCharsets.UTF_8),
            "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n\nbody".getBytes(StandardCharsets.UTF_8),
            "{\"name\":\"@s/y\",\"version\":\"2.0.0\"}".getBytes(StandardCharsets.UTF_8),
            "ID=debian\nVERSION=\"9 (stretch)\"\n".getBytes(StandardCharsets.UTF_8),
            Fixtures.rpmHeader("bash", "5.1", "1.el9", 1, "bash-5.1-1.el9.src.rpm"),
            Fixtures.goBinary("go1.21.0", "dep\tx/y\tv1.0.0\th1:=\n=>\tx/z\tv1.1.0\th1:=\n"),
            Fixtures.jar(Fixtures.pom("g", "a", "1"), Fixtures.entry("BOOT-INF/lib/n-1.0.jar",
                    Fixtures.jar(Fixtures.entry("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: 1\n"
                            .getBytes(StandardCharsets.UTF_8)))))};

    @FuzzTest(maxDuration = "60s")
    void parse_anyBytes_givesPackagesOrAScanFailure(FuzzedDataProvider data) throws Exception {
        INPUTS.incrementAndGet();
        int parser = data.consumeInt(0, SEEDS.length - 1);
        byte[] bytes;
        if (data.consumeBoolean()) {
            byte[] seed = SEEDS[parser].clone();
            int at = data.consumeInt(0, seed.length - 1);
            byte[] fuzz = data.consumeRemainingAsBytes();
            System.arraycopy(fuzz, 0, seed, at, Math.min(fuzz.length, seed.length - at));
            bytes = seed;
        } else {
            bytes = data.consumeRemainingAsBytes();
        }
        try {
            switch (parser) {
                case 0 -> DpkgFinder.parse(bytes, "s", Ecosystem.DEBIAN);
                case 1 -> ApkFinder.parse(bytes, "a");
                case 2 -> PythonFinder.parse(bytes, "m");
                case 3 -> NodeFinder.parse(bytes, "p");
                case 4 -> OsReleaseFinder.parse(bytes);
                case 5 -> RpmHeader.parse(bytes).evr();
                case 6 -> new GoBuildInfo().analyze("g", bytes.length, new ByteArrayInputStream(bytes));
                default -> new JarAnalyzer(16 << 20).analyze("j.jar", bytes.length, new ByteArrayInputStream(bytes));
            }
            PARSED.incrementAndGet();
        } catch (ScanFailure expected) {
            // the typed refusal
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("PackageParsersJazzerTest: %d inputs in %d ms (%d parsed)%n", INPUTS.get(),
                (System.nanoTime() - START) / 1_000_000, PARSED.get());
    }
}
