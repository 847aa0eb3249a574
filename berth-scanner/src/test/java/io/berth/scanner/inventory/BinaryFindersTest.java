package io.berth.scanner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jars (pom.properties, manifest fallback, nested jars), Go build info and rpm's SQLite database. */
class BinaryFindersTest {

    @Test
    void jar_pomProperties_andNestedBootInfJars() throws Exception {
        byte[] inner = Fixtures.jar(Fixtures.pom("com.fasterxml.jackson.core", "jackson-databind", "2.12.1"));
        byte[] noPom = Fixtures.jarWithManifest("Implementation-Title: commons-io\nImplementation-Version: 2.6\n"
                + "Implementation-Vendor-Id: commons-io\n");
        byte[] fat = Fixtures.jar(Fixtures.pom("com.example", "app", "1.0.0"),
                Fixtures.entry("BOOT-INF/lib/jackson-databind-2.12.1.jar", inner),
                Fixtures.entry("BOOT-INF/lib/commons-io-2.6.jar", noPom),
                Fixtures.entry("BOOT-INF/lib/plain-lib-3.1.4.jar", Fixtures.jar()));
        List<InstalledPackage> found = new JarAnalyzer(1L << 30).analyze("app/app.jar", fat.length,
                new ByteArrayInputStream(fat));
        assertThat(found).extracting(InstalledPackage::name, InstalledPackage::version, InstalledPackage::path)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("com.example:app", "1.0.0", "app/app.jar"),
                        org.assertj.core.groups.Tuple.tuple("com.fasterxml.jackson.core:jackson-databind", "2.12.1",
                                "app/app.jar!/BOOT-INF/lib/jackson-databind-2.12.1.jar"),
                        org.assertj.core.groups.Tuple.tuple("commons-io:commons-io", "2.6",
                                "app/app.jar!/BOOT-INF/lib/commons-io-2.6.jar"),
                        org.assertj.core.groups.Tuple.tuple("plain-lib", "3.1.4",
                                "app/app.jar!/BOOT-INF/lib/plain-lib-3.1.4.jar"));
    }

    @Test
    void jar_notAZip_isMalformed_andAZipBombIsBounded() throws Exception {
        // ZipInputStream finds no entry in bytes that are not a zip: such a ".jar" holds no package
        assertThat(new JarAnalyzer(1 << 20).analyze("x.jar", 5, new ByteArrayInputStream("hello".getBytes()))).isEmpty();
        byte[] bomb = Fixtures.jar(Fixtures.entry("zeros.bin", new byte[8 << 20]));
        assertThatThrownBy(() -> new JarAnalyzer(1 << 20).analyze("b.jar", bomb.length, new ByteArrayInputStream(bomb)))
                .isInstanceOf(ScanFailure.class)
                .satisfies(e -> assertThat(((ScanFailure) e).reason()).isEqualTo(FailureReason.LIMIT_EXCEEDED));
    }

    @Test
    void go_buildInfo_inAnElfStream() throws Exception {
        byte[] binary = Fixtures.goBinary("go1.20.3", "path\tgithub.com/example/tool\n"
                + "mod\tgithub.com/example/tool\t(devel)\t\n"
                + "dep\tgolang.org/x/net\tv0.7.0\th1:abc=\n"
                + "dep\tgithub.com/old/mod\tv1.0.0\th1:def=\n"
                + "=>\tgithub.com/new/mod\tv1.2.0\th1:ghi=\n"
                + "build\t-compiler=gc\n");
        List<InstalledPackage> found = new GoBuildInfo().analyze("usr/bin/tool", binary.length,
                new ByteArrayInputStream(binary));
        assertThat(found).containsExactly(
                new InstalledPackage(Ecosystem.GO, "stdlib", "v1.20.3", null, "usr/bin/tool"),
                new InstalledPackage(Ecosystem.GO, "golang.org/x/net", "v0.7.0", null, "usr/bin/tool"),
                new InstalledPackage(Ecosystem.GO, "github.com/new/mod", "v1.2.0", null, "usr/bin/tool"));
        assertThat(new GoBuildInfo().analyze("x", 4, new ByteArrayInputStream("#!/bin/sh\n".getBytes()))).isEmpty();
    }

    @Test
    void go_aCopyOfTheMagicInTheCode_isPassedOver() throws Exception {
        byte[] real = Fixtures.goBinary("go1.22.1 X:boringcrypto", "dep\tgithub.com/a/b\tv1.0.0\th1:=\n");
        byte[] decoy = "\u00ff Go buildinf:\u0008\u0002 then other rodata, not a header".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] binary = new byte[real.length + decoy.length];
        System.arraycopy(real, 0, binary, 0, 4);
        System.arraycopy(decoy, 0, binary, 4, decoy.length);
        System.arraycopy(real, 4, binary, 4 + decoy.length, real.length - 4);
        assertThat(new GoBuildInfo().analyze("b", binary.length, new ByteArrayInputStream(binary)))
                .extracting(InstalledPackage::name, InstalledPackage::version).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("stdlib", "v1.22.1"),
                        org.assertj.core.groups.Tuple.tuple("github.com/a/b", "v1.0.0"));
    }

    /** A real Go binary when the machine has one (Terraform, Docker's CLI, gcloud's helpers): its stdlib is found. */
    @Test
    void go_realBinaryOnThisMachine() throws Exception {
        Path real = null;
        for (String p : new String[] {"/usr/local/bin/terraform", "/usr/local/bin/docker", "/usr/sbin/nats-server",
                "/usr/bin/skopeo", "/usr/bin/umoci"}) {
            if (Files.isRegularFile(Path.of(p))) {
                real = Path.of(p);
                break;
            }
        }
        assumeThat(real).as("a Go binary on this machine").isNotNull();
        List<InstalledPackage> found;
        try (InputStream in = Files.newInputStream(real)) {
            found = new GoBuildInfo().analyze(real.toString(), Files.size(real), in);
        }
        assertThat(found).first().satisfies(p -> {
            assertThat(p.name()).isEqualTo("stdlib");
            assertThat(p.version()).matches("v1\\.\\d+(\\.\\d+)?.*");
        });
        System.out.printf("GoBuildInfo on %s: %d modules, e.g. %s%n", real, found.size(), found.subList(0,
                Math.min(4, found.size())));
    }

    @Test
    void rpm_sqliteDatabase_namesEvrAndSourceRpm(@TempDir Path dir) throws Exception {
        Path db = Fixtures.rpmDb(dir.resolve("rpmdb.sqlite"), List.of(
                Fixtures.rpmHeader("openssl-libs", "3.0.7", "24.el9", 1, "openssl-3.0.7-24.el9.src.rpm"),
                Fixtures.rpmHeader("bash", "5.1.8", "6.el9_1", null, "bash-5.1.8-6.el9_1.src.rpm"),
                Fixtures.rpmHeader("gpg-pubkey", "fd431d51", "4ae0493b", null, null)));
        assertThat(RpmDbAnalyzer.read(db, "var/lib/rpm/rpmdb.sqlite")).containsExactly(
                new InstalledPackage(Ecosystem.RPM, "openssl-libs", "1:3.0.7-24.el9", "openssl", "var/lib/rpm/rpmdb.sqlite"),
                new InstalledPackage(Ecosystem.RPM, "bash", "5.1.8-6.el9_1", "bash", "var/lib/rpm/rpmdb.sqlite"));
        // streamed from the layer: copied to a private temp dir that is gone afterwards
        byte[] bytes = Files.readAllBytes(db);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = rpmTempDirs(tmp);
        assertThat(new RpmDbAnalyzer().analyze("var/lib/rpm/rpmdb.sqlite", bytes.length,
                new ByteArrayInputStream(bytes))).hasSize(2);
        assertThat(rpmTempDirs(tmp)).as("the private copy is deleted").isEqualTo(before);
    }

    private static List<Path> rpmTempDirs(Path tmp) throws java.io.IOException {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("berth-rpmdb-")).sorted().toList();
        }
    }

    @Test
    void rpm_hostileDatabases_areTypedFailures(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("junk"), "not sqlite at all".repeat(100).getBytes());
        assertThatThrownBy(() -> RpmDbAnalyzer.read(dir.resolve("junk"), "r")).isInstanceOf(ScanFailure.class);
        Path view = dir.resolve("view.sqlite");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + view); var st = c.createStatement()) {
            st.execute("CREATE VIEW Packages AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) "
                    + "SELECT zeroblob(8) AS blob FROM r");
        }
        assertThatThrownBy(() -> RpmDbAnalyzer.read(view, "r")).hasMessageContaining("no Packages table");
        assertThatThrownBy(() -> RpmHeader.parse(new byte[] {0, 0, 0, 1, 0x7f, 0, 0, 0}))
                .isInstanceOf(ScanFailure.class);
    }
}
