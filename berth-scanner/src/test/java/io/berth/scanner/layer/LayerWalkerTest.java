package io.berth.scanner.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LayerWalkerTest {
    /** Keeps every regular file under 1 MiB: the walker's own behaviour, without the finders. */
    private static final Selector KEEP_ALL = (path, size, mode) -> new Selector.Keep(1 << 20);
    private static final LayerWalker WALKER = new LayerWalker(KEEP_ALL, WalkLimits.DEFAULT);

    private static List<String> paths(ImageFiles files) {
        return files.keptFiles().stream().map(ImageFiles.KeptFile::path).toList();
    }

    private static String read(ImageFiles files, String path) throws ScanFailure {
        return files.read(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void walk_gzipZstdAndPlainLayers_giveTheUnionOfTheirFiles() throws Exception {
        byte[] a = Tars.gzip(new Tars().dir("./etc").file("./etc/a", "A").tar());
        byte[] b = Tars.zstd(new Tars().file("etc/b", "B").tar());
        byte[] c = new Tars().file("/etc/c", "C").tar();
        ImageFiles files = WALKER.walk(Tars.layers(a, b, c));
        assertThat(paths(files)).containsExactly("etc/a", "etc/b", "etc/c");
        assertThat(read(files, "etc/b")).isEqualTo("B");
    }

    @Test
    void walk_upperLayerFile_replacesTheLowerOne() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().file("etc/x", "old").tar(),
                new Tars().file("etc/x", "new").tar()));
        assertThat(read(files, "etc/x")).isEqualTo("new");
    }

    @Test
    void walk_whiteouts_removeLowerFilesAndDirectories_butNotTheSameLayers() throws Exception {
        byte[] lower = new Tars().file("a/keep", "1").file("a/gone", "2").file("b/sub/f", "3").file("c/old", "4")
                .file("d", "5").tar();
        byte[] upper = new Tars().whiteout("a/gone").whiteout("b").opaque("c").file("c/new", "6")
                .whiteout("d").tar();
        ImageFiles files = WALKER.walk(Tars.layers(lower, upper));
        assertThat(paths(files)).containsExactly("a/keep", "c/new");
    }

    @Test
    void walk_opaqueWhiteoutAtTheRoot_hidesEverythingBelow() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().file("x", "1").file("y/z", "2").tar(),
                new Tars().file(".wh..wh..opq", "").file("w", "3").tar()));
        assertThat(paths(files)).containsExactly("w");
    }

    @Test
    void walk_fileReplacingADirectory_hidesTheDirectorysContents() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().file("p/q", "1").tar(), new Tars().file("p", "2").tar()));
        assertThat(paths(files)).containsExactly("p");
    }

    @Test
    void read_followsSymlinks_absoluteOnesInsideTheImageRoot() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().file("usr/lib/os-release", "ID=debian")
                .symlink("etc/os-release", "../usr/lib/os-release")
                .symlink("etc/abs", "/usr/lib/os-release")
                .symlink("etc/climb", "../../../../../../usr/lib/os-release")
                .symlink("etc/passwd-link", "/etc/passwd").tar()));
        assertThat(read(files, "etc/os-release")).isEqualTo("ID=debian");
        assertThat(read(files, "etc/abs")).isEqualTo("ID=debian");
        assertThat(read(files, "etc/climb")).as("'..' stops at the image root").isEqualTo("ID=debian");
        assertThat(read(files, "etc/passwd-link")).as("never the host's /etc/passwd").isNull();
    }

    @Test
    void read_symlinkLoop_isALinkLoopFailure() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().symlink("a", "b").symlink("b", "a").tar()));
        assertThatThrownBy(() -> files.read("a")).isInstanceOf(ScanFailure.class)
                .extracting(e -> ((ScanFailure) e).reason()).isEqualTo(FailureReason.LINK_LOOP);
    }

    @Test
    void walk_hardLink_sharesTheKeptContent() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().file("a", "same").hardlink("b", "a").tar()));
        assertThat(read(files, "b")).isEqualTo("same");
    }

    @Test
    void walk_unknownLayerBytes_failWithTheDigestAndNoException() {
        byte[] layer = Tars.gzip(new Tars().file("a", "1").tar());
        byte[] other = Tars.gzip(new Tars().file("a", "2").tar());
        expect(() -> WALKER.walk(List.of(Tars.layer(layer, Digest.sha256Of(other)))), FailureReason.DIGEST_MISMATCH,
                "layer 1 of 1 (" + Digest.sha256Of(other) + ")");
    }

    @Test
    void walk_layerOfAnotherSize_isADigestMismatch() {
        byte[] layer = new Tars().file("a", "1").tar();
        Layer wrongSize = new Layer("application/vnd.oci.image.layer.v1.tar", Digest.sha256Of(layer), 7,
                () -> new java.io.ByteArrayInputStream(layer));
        expect(() -> WALKER.walk(List.of(wrongSize)), FailureReason.DIGEST_MISMATCH, "the manifest says 7");
    }

    @Test
    void walk_truncatedGzipAndZstd_areCorruptLayers_evenWithTheirTrueDigest() {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        byte[] tar = new Tars().file("f", big, 0644).tar();
        byte[] gz = Tars.gzip(tar);
        byte[] zs = Tars.zstd(tar);
        expect(() -> WALKER.walk(List.of(Tars.layer(Arrays.copyOf(gz, gz.length / 2)))), FailureReason.CORRUPT_LAYER, "");
        expect(() -> WALKER.walk(List.of(Tars.layer(Arrays.copyOf(zs, zs.length / 2)))), FailureReason.CORRUPT_LAYER, "");
        expect(() -> WALKER.walk(List.of(Tars.layer(Arrays.copyOf(gz, gz.length - 3)))), FailureReason.CORRUPT_LAYER, "");
    }

    @Test
    void walk_garbage_isACorruptLayer() {
        byte[] junk = new byte[1500];
        Arrays.fill(junk, (byte) 'x');
        expect(() -> WALKER.walk(List.of(Tars.layer(junk))), FailureReason.CORRUPT_LAYER, "not a readable tar");
    }

    @Test
    void walk_unreadableBlob_isBlobUnavailable() {
        Layer gone = new Layer("application/vnd.oci.image.layer.v1.tar", Digest.sha256Of(new byte[0]), 0,
                () -> { throw new java.io.FileNotFoundException("no such blob"); });
        expect(() -> WALKER.walk(List.of(gone)), FailureReason.BLOB_UNAVAILABLE, "no such blob");
    }

    @Test
    void walk_dotDotEntry_isUnsafe() {
        expect(() -> WALKER.walk(Tars.layers(new Tars().file("etc/../../evil", "x").tar())), FailureReason.UNSAFE_PATH,
                "climbs out of the root");
    }

    @Test
    void walk_entryWrittenThroughASymlink_isUnsafe() {
        byte[] lower = new Tars().symlink("evil", "/etc").tar();
        byte[] upper = new Tars().file("evil/cron.d/job", "* * * * * root sh").tar();
        expect(() -> WALKER.walk(Tars.layers(lower, upper)), FailureReason.UNSAFE_PATH, "through the symlink evil");
    }

    @Test
    void walk_deepPath_exceedsTheLimit() {
        String deep = "d/".repeat(300) + "f";
        expect(() -> WALKER.walk(Tars.layers(new Tars().file(deep, "x").tar())), FailureReason.LIMIT_EXCEEDED,
                "deeper than 256");
    }

    @Test
    void walk_hugeDeclaredSize_exceedsTheLimitBeforeAnythingIsRead() throws Exception {
        // a PAX header declaring 1 TiB, and then no data: the size is refused before the walker reads or allocates
        org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                new org.apache.commons.compress.archivers.tar.TarArchiveEntry("bomb");
        e.setSize(1L << 40);
        byte[] header = new byte[512];
        e.writeEntryHeader(header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"), true);
        byte[] layer = Arrays.copyOf(header, 512 * 4);
        expect(() -> WALKER.walk(List.of(Tars.layer(layer))), FailureReason.LIMIT_EXCEEDED, "declares 1099511627776");
    }

    @Test
    void walk_keptFileLargerThanItsCap_exceedsTheLimit() {
        LayerWalker small = new LayerWalker((p, s, m) -> new Selector.Keep(4), WalkLimits.DEFAULT);
        expect(() -> small.walk(Tars.layers(new Tars().file("a", "12345").tar())), FailureReason.LIMIT_EXCEEDED,
                "more than the 4 its finder reads");
    }

    @Test
    void walk_tooManyEntries_andTooManyBytes_exceedTheLimits() {
        WalkLimits few = new WalkLimits(1 << 20, 1 << 20, 2, 256, 4096, 1 << 20);
        expect(() -> new LayerWalker(KEEP_ALL, few).walk(Tars.layers(new Tars().file("a", "").file("b", "")
                .file("c", "").tar())), FailureReason.LIMIT_EXCEEDED, "more than 2 tar entries");
        WalkLimits tiny = new WalkLimits(1 << 20, 4096, 100, 256, 4096, 1 << 20);
        expect(() -> new LayerWalker(KEEP_ALL, tiny).walk(Tars.layers(Tars.gzip(new Tars()
                .file("z", new byte[100_000], 0644).tar()))), FailureReason.LIMIT_EXCEEDED, "decompress to more than 4096");
    }

    @Test
    void walk_manySymlinks_countAgainstTheMemoryBudget() {
        Tars t = new Tars();
        for (int i = 0; i < 200; i++) {
            t.symlink("l" + i, "/" + "t".repeat(100));
        }
        WalkLimits budget = new WalkLimits(1 << 20, 1 << 30, 10_000, 256, 4096, 10_000);
        expect(() -> new LayerWalker(KEEP_ALL, budget).walk(Tars.layers(t.tar())), FailureReason.LIMIT_EXCEEDED,
                "kept for the finders add up to more than 10000");
    }

    @Test
    void walk_hardLinkToItself_isALinkLoop() {
        expect(() -> WALKER.walk(Tars.layers(new Tars().hardlink("a", "a").tar())), FailureReason.LINK_LOOP,
                "hard link to itself");
    }

    @Test
    void walk_hardLinksToEachOther_holdNothing_andDoNotLoop() throws Exception {
        ImageFiles files = WALKER.walk(Tars.layers(new Tars().hardlink("a", "b").hardlink("b", "a").tar()));
        assertThat(paths(files)).isEmpty();
    }

    static void expect(ThrowingCallable call, FailureReason reason, String messagePart) {
        assertThatThrownBy(call).isInstanceOf(ScanFailure.class)
                .satisfies(e -> assertThat(((ScanFailure) e).reason()).as(e.getMessage()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
