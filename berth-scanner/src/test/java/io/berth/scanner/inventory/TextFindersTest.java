package io.berth.scanner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Table tests of the text-format finders: os-release, dpkg, apk, Python metadata and npm package.json. */
class TextFindersTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TextFindersTest.class.getResourceAsStream("/io/berth/scanner/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ID=debian\\nVERSION_ID=\"11\"\\nVERSION_CODENAME=bullseye|debian|11|bullseye",
            "ID=debian\\nVERSION_ID=\"9\"\\nVERSION=\"9 (stretch)\"|debian|9|stretch",
            "NAME=\"Alpine Linux\"\\nID=alpine\\nVERSION_ID=3.11.6|alpine|3.11.6|",
            "ID=\"ubuntu\"\\nVERSION_ID='22.04'\\nVERSION_CODENAME=jammy\\n# comment\\ngarbage line|ubuntu|22.04|jammy",
            "ID=fedora\\nVERSION_ID=39|fedora|39|",
            "garbage only|||"})
    void osRelease_table(String text, String id, String versionId, String codename) {
        Distribution d = OsReleaseFinder.parse(b(text.replace("\\n", "\n")));
        assertThat(new Distribution(d.id(), d.versionId(), d.codename()))
                .isEqualTo(new Distribution(id, versionId, codename));
    }

    @Test
    void osRelease_bullseyeFixture() throws IOException {
        Distribution d = OsReleaseFinder.parse(resource("bullseye-os-release"));
        assertThat(new Distribution(d.id(), d.versionId(), d.codename()))
                .isEqualTo(new Distribution("debian", "11", "bullseye"));
    }

    @Test
    void osRelease_rpmDistributionFields() {
        Distribution d = OsReleaseFinder.parse(b("NAME=\"openEuler\"\nVERSION=\"22.03 (LTS-SP3)\"\nID=\"openEuler\"\n"
                + "VERSION_ID=\"22.03\"\nPRETTY_NAME=\"openEuler 22.03 (LTS-SP3)\"\nID_LIKE=\"RHEL Fedora\"\n"));
        assertThat(d).isEqualTo(new Distribution("openeuler", "22.03", null, "rhel fedora", "22.03 (LTS-SP3)",
                "openEuler 22.03 (LTS-SP3)"));
    }

    @Test
    void dpkg_bullseyeStatus_installedPackagesWithTheirSources() throws Exception {
        List<InstalledPackage> p = DpkgFinder.parse(resource("bullseye-dpkg-status"), "var/lib/dpkg/status",
                Ecosystem.DEBIAN);
        assertThat(p).hasSize(12).noneMatch(x -> x.name().equals("libgcrypt20"));
        assertThat(p).contains(
                new InstalledPackage(Ecosystem.DEBIAN, "libssl1.1", "1.1.1n-0+deb11u3", "openssl", "var/lib/dpkg/status"),
                new InstalledPackage(Ecosystem.DEBIAN, "libxml2", "2.9.10+dfsg-6.7", "libxml2", "var/lib/dpkg/status"),
                new InstalledPackage(Ecosystem.DEBIAN, "bsdutils", "1:2.36.1-8+deb11u1", "util-linux",
                        "var/lib/dpkg/status", "2.36.1-8+deb11u1"));
    }

    @Test
    void dpkg_distrolessStatusD_hasNoStatusField() throws Exception {
        assertThat(DpkgFinder.parse(resource("distroless-status.d-libssl1.1"), "var/lib/dpkg/status.d/libssl1.1",
                Ecosystem.DEBIAN)).containsExactly(new InstalledPackage(Ecosystem.DEBIAN, "libssl1.1",
                "1.1.1n-0+deb11u3", "openssl", "var/lib/dpkg/status.d/libssl1.1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Package: bash\\nSource: bash (5.2.15-2)\\nVersion: 5.2.15-2+b8|bash|5.2.15-2+b8|bash|5.2.15-2",
            "Package: a\\nVersion: 1.0\\nStatus: hold ok installed|a|1.0|a|1.0",
            "Package: a\\r\\nVersion: 1.0\\r\\n\\r\\n|a|1.0|a|1.0",
            "Package: a\\nVersion: 1.0\\nDescription: x\\n multi\\n .\\n line|a|1.0|a|1.0"})
    void dpkg_table(String text, String name, String version, String source, String sourceVersion) throws Exception {
        assertThat(DpkgFinder.parse(b(text.replace("\\n", "\n").replace("\\r", "\r")), "s", Ecosystem.DEBIAN))
                .containsExactly(new InstalledPackage(Ecosystem.DEBIAN, name, version, source, "s", sourceVersion));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Package: a\\nno colon here",
            " continuation first\\nPackage: a\\nVersion: 1",
            "Package: a\\nStatus: install ok installed",
            "Package: a b\\nVersion: 1",
            "Package: a\\nVersion: 1\\nSource: x (1",
            "Package: a\\nVersion: 1\\nSource: x (1) trailing",
            "Bad Field: x\\nPackage: a\\nVersion: 1"})
    void dpkg_malformed_isATypedFailure(String text) {
        assertThatThrownBy(() -> DpkgFinder.parse(b(text.replace("\\n", "\n")), "var/lib/dpkg/status",
                Ecosystem.DEBIAN)).isInstanceOf(ScanFailure.class)
                .satisfies(e -> assertThat(((ScanFailure) e).reason()).isEqualTo(FailureReason.MALFORMED_PACKAGE_DATA))
                .hasMessageContaining("var/lib/dpkg/status line ");
    }

    @Test
    void apk_installedDb_namesVersionsAndOrigins() throws Exception {
        String db = "C:Q1abc=\nP:musl\nV:1.1.24-r2\nA:x86_64\no:musl\n\nC:Q1def=\nP:libcrypto1.1\nV:1.1.1g-r0\no:openssl\n"
                + "F:lib\nR:libcrypto.so.1.1\n\nP:busybox\nV:1.31.1-r9\n";
        assertThat(ApkFinder.parse(b(db), "lib/apk/db/installed")).containsExactly(
                new InstalledPackage(Ecosystem.ALPINE, "musl", "1.1.24-r2", "musl", "lib/apk/db/installed"),
                new InstalledPackage(Ecosystem.ALPINE, "libcrypto1.1", "1.1.1g-r0", "openssl", "lib/apk/db/installed"),
                new InstalledPackage(Ecosystem.ALPINE, "busybox", "1.31.1-r9", "busybox", "lib/apk/db/installed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P:musl\\nnot a field", "P:musl\\n\\nV:1.0", "V:1.0\\n"})
    void apk_malformed_isATypedFailure(String text) {
        assertThatThrownBy(() -> ApkFinder.parse(b(text.replace("\\n", "\n")), "lib/apk/db/installed"))
                .isInstanceOf(ScanFailure.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Metadata-Version: 2.1\\nName: requests\\nVersion: 2.25.1\\n\\nLong: description: here|requests|2.25.1",
            "Metadata-Version: 1.0\\nName: Django\\nVersion: 3.2\\nSummary: x\\n  continued|Django|3.2"})
    void python_metadata(String text, String name, String version) throws Exception {
        assertThat(PythonFinder.parse(b(text.replace("\\n", "\n")), "p/x.dist-info/METADATA"))
                .containsExactly(new InstalledPackage(Ecosystem.PYPI, name, version, null, "p/x.dist-info/METADATA"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Name: requests\\n", "Name: requests\\nthis is not a header\\nVersion: 1",
            "Version: 1\\n\\nName: after-body"})
    void python_malformed_isATypedFailure(String text) {
        assertThatThrownBy(() -> PythonFinder.parse(b(text.replace("\\n", "\n")), "p/x.dist-info/METADATA"))
                .isInstanceOf(ScanFailure.class)
                .satisfies(e -> assertThat(((ScanFailure) e).reason()).isEqualTo(FailureReason.MALFORMED_PACKAGE_DATA));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "usr/lib/python3.9/site-packages/requests-2.25.1.dist-info/METADATA|true",
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info|true",
            "opt/x/foo.egg-info/PKG-INFO|true",
            "opt/x/foo.dist-info/RECORD|false",
            "app/node_modules/lodash/package.json|true",
            "app/node_modules/@babel/core/package.json|true",
            "app/node_modules/resolve/test/resolver/malformed_package_json/package.json|false",
            "app/node_modules/@babel/runtime/helpers/esm/package.json|false",
            "app/package.json|false"})
    void paths_table(String path, boolean matches) {
        assertThat(PythonFinder.isMetadataPath(path) || NodeFinder.isPackageJson(path)).isEqualTo(matches);
    }

    @Test
    void npm_packageJson() throws Exception {
        assertThat(NodeFinder.parse(b("{\"name\":\"@babel/core\",\"version\":\"7.22.5\",\"x\":[1]}"),
                "n/node_modules/@babel/core/package.json")).containsExactly(new InstalledPackage(Ecosystem.NPM,
                "@babel/core", "7.22.5", null, "n/node_modules/@babel/core/package.json"));
        assertThat(NodeFinder.parse(b("{\"private\":true}"), "p")).isEmpty();
        assertThatThrownBy(() -> NodeFinder.parse(b("{\"name\":"), "p")).isInstanceOf(ScanFailure.class);
        assertThatThrownBy(() -> NodeFinder.parse(b("[1]"), "p")).isInstanceOf(ScanFailure.class);
    }
}
