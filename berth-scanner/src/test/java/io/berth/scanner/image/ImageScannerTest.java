package io.berth.scanner.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.Descriptor;
import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.scanner.inventory.Fixtures;
import io.berth.scanner.layer.Tars;
import io.berth.scanner.layer.WalkLimits;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import io.berth.scanner.result.FailureReason;
import io.berth.scanner.result.ScanOutcome;
import io.berth.scanner.sbom.CycloneDx;
import io.berth.scanner.sbom.SbomArtifact;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * Whole images built in the test without Docker: a Debian bullseye root, a busybox-like image with a distroless
 * status.d entry, a jib-like Java layout; then the SBOM of each, validated against CycloneDX's 1.5 schema.
 */
class ImageScannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final BlobSource source = d -> {
        byte[] b = blobs.get(d);
        if (b == null) {
            throw new FileNotFoundException(d.toString());
        }
        return new ByteArrayInputStream(b);
    };
    private final ImageScanner scanner = new ImageScanner(WalkLimits.DEFAULT);

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageScannerTest.class.getResourceAsStream("/io/berth/scanner/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private byte[] manifest(String configType, String artifactType, byte[]... layers) throws Exception {
        var m = JSON.createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        byte[] config = "{\"rootfs\":{}}".getBytes(StandardCharsets.UTF_8);
        blobs.put(Digest.sha256Of(config), config);
        m.putObject("config").put("mediaType", configType).put("digest", Digest.sha256Of(config).toString())
                .put("size", config.length);
        var ls = m.putArray("layers");
        for (byte[] l : layers) {
            blobs.put(Digest.sha256Of(l), l);
            ls.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", Digest.sha256Of(l).toString()).put("size", l.length);
        }
        return JSON.writeValueAsBytes(m);
    }

    private Inventory scanned(byte[] manifest) {
        ScanOutcome out = scanner.scan(MediaTypes.OCI_MANIFEST, manifest, source);
        assertThat(out).isInstanceOf(ScanOutcome.Scanned.class);
        return ((ScanOutcome.Scanned) out).inventory();
    }

    private static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

    @Test
    void bullseye_distributionAndEveryInstalledDpkgPackage() throws Exception {
        byte[] base = Tars.gzip(new Tars().file("usr/lib/os-release", new String(resource("bullseye-os-release"),
                        StandardCharsets.UTF_8)).symlink("etc/os-release", "../usr/lib/os-release")
                .file("var/lib/dpkg/status", new String(resource("bullseye-dpkg-status"), StandardCharsets.UTF_8))
                .tar());
        // an upper layer (apt-get install + cleanup) replaces nothing of dpkg's, and whiteouts apt's lists
        byte[] upper = Tars.zstd(new Tars().whiteout("var/lib/apt/lists").file("usr/bin/hello", "#!/bin/sh\n").tar());
        long start = System.nanoTime();
        Inventory inv = scanned(manifest(IMAGE_CONFIG, null, base, upper));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(inv.distribution()).isEqualTo(new Distribution("debian", "11", "bullseye", null, "11 (bullseye)",
                "Debian GNU/Linux 11 (bullseye)"));
        assertThat(inv.packages()).hasSize(12).allMatch(p -> p.ecosystem() == Ecosystem.DEBIAN);
        assertThat(inv.packages()).extracting(InstalledPackage::sourceName).contains("openssl", "zlib", "curl",
                "libxml2", "expat", "gzip", "xz-utils", "dpkg", "gnutls28", "krb5", "gnupg2", "util-linux");
        byte[] sbom = CycloneDx.write(inv, new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(base), 1, null,
                null), Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(new JsonParser().validate(sbom, Version.VERSION_15)).as("CycloneDX 1.5 schema").isEmpty();
        JsonNode doc = JSON.readTree(sbom);
        assertThat(doc.path("specVersion").asText()).isEqualTo("1.5");
        assertThat(doc.findValuesAsText("purl")).contains("pkg:deb/debian/zlib1g@1%3A1.2.11.dfsg-2?distro=debian-11",
                "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3?distro=debian-11");
        System.out.printf("ImageScannerTest: bullseye image, %d packages inventoried in %d ms%n",
                inv.packages().size(), ms);
    }

    @Test
    void busybox_withADistrolessStatusDEntry() throws Exception {
        byte[] layer = Tars.gzip(new Tars().file("bin/busybox", new byte[2048], 0755)
                .symlink("bin/sh", "busybox")
                .file("var/lib/dpkg/status.d/libssl1.1", new String(resource("distroless-status.d-libssl1.1"),
                        StandardCharsets.UTF_8))
                .file("var/lib/dpkg/status.d/libssl1.1.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x\n")
                .file("etc/os-release", "PRETTY_NAME=\"Distroless\"\nID=debian\nVERSION_ID=\"11\"\n").tar());
        Inventory inv = scanned(manifest(IMAGE_CONFIG, null, layer));
        assertThat(inv.packages()).containsExactly(new InstalledPackage(Ecosystem.DEBIAN, "libssl1.1",
                "1.1.1n-0+deb11u3", "openssl", "var/lib/dpkg/status.d/libssl1.1"));
    }

    @Test
    void ubuntuAndAlpine_chooseTheirEcosystems() throws Exception {
        byte[] ubuntu = Tars.gzip(new Tars().file("etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n"
                + "VERSION_CODENAME=jammy\n").file("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\n"
                + "Source: glibc\nVersion: 2.35-0ubuntu3.1\n").tar());
        assertThat(scanned(manifest(IMAGE_CONFIG, null, ubuntu)).packages()).containsExactly(new InstalledPackage(
                Ecosystem.UBUNTU, "libc6", "2.35-0ubuntu3.1", "glibc", "var/lib/dpkg/status"));
        byte[] alpine = Tars.gzip(new Tars().file("etc/os-release", "ID=alpine\nVERSION_ID=3.11.6\n")
                .file("lib/apk/db/installed", "P:libcrypto1.1\nV:1.1.1g-r0\no:openssl\n\n").tar());
        Inventory inv = scanned(manifest(IMAGE_CONFIG, null, alpine));
        assertThat(inv.packages()).containsExactly(new InstalledPackage(Ecosystem.ALPINE, "libcrypto1.1", "1.1.1g-r0",
                "openssl", "lib/apk/db/installed"));
        byte[] sbom = CycloneDx.write(inv, new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(alpine), 1, null,
                null), Instant.EPOCH);
        assertThat(JSON.readTree(sbom).findValuesAsText("purl"))
                .containsExactly("pkg:apk/alpine/libcrypto1.1@1.1.1g-r0?distro=3.11.6");
    }

    @Test
    void jibLayout_mavenDependencies_andWhiteoutRemovesAJar() throws Exception {
        byte[] deps = Tars.gzip(new Tars()
                .file("app/libs/log4j-core-2.14.1.jar", Fixtures.jar(Fixtures.pom("org.apache.logging.log4j",
                        "log4j-core", "2.14.1")), 0644)
                .file("app/libs/guava-30.1-jre.jar", Fixtures.jar(Fixtures.pom("com.google.guava", "guava",
                        "30.1-jre")), 0644)
                .file("app/libs/snakeyaml-1.26.jar", Fixtures.jar(Fixtures.pom("org.yaml", "snakeyaml", "1.26")), 0644)
                .tar());
        byte[] classes = Tars.gzip(new Tars().file("app/classes/Main.class", "cafebabe").whiteout("app/libs/snakeyaml-1.26.jar")
                .file("app/node/node_modules/lodash/package.json", "{\"name\":\"lodash\",\"version\":\"4.17.20\"}")
                .file("usr/lib/python3.9/site-packages/requests-2.25.1.dist-info/METADATA",
                        "Metadata-Version: 2.1\nName: requests\nVersion: 2.25.1\n")
                .file("usr/local/bin/tool", Fixtures.goBinary("go1.20.3", "dep\tgolang.org/x/net\tv0.7.0\th1:x=\n"), 0755)
                .tar());
        Inventory inv = scanned(manifest("application/vnd.docker.container.image.v1+json", null, deps, classes));
        assertThat(inv.distribution()).isNull();
        assertThat(inv.packages()).extracting(InstalledPackage::ecosystem, InstalledPackage::name,
                InstalledPackage::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Ecosystem.MAVEN, "com.google.guava:guava", "30.1-jre"),
                org.assertj.core.groups.Tuple.tuple(Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1"),
                org.assertj.core.groups.Tuple.tuple(Ecosystem.PYPI, "requests", "2.25.1"),
                org.assertj.core.groups.Tuple.tuple(Ecosystem.NPM, "lodash", "4.17.20"),
                org.assertj.core.groups.Tuple.tuple(Ecosystem.GO, "golang.org/x/net", "v0.7.0"),
                org.assertj.core.groups.Tuple.tuple(Ecosystem.GO, "stdlib", "v1.20.3"));
        Descriptor image = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(deps), 1234, null, null);
        byte[] sbom = CycloneDx.write(inv, image, Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(new JsonParser().validate(sbom, Version.VERSION_15)).isEmpty();
        assertThat(JSON.readTree(sbom).findValuesAsText("purl")).contains(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:npm/lodash@4.17.20",
                "pkg:pypi/requests@2.25.1", "pkg:golang/golang.org/x/net@v0.7.0");
        SbomArtifact artifact = SbomArtifact.of(image, sbom, Instant.parse("2026-12-01T12:00:00Z"));
        JsonNode m = JSON.readTree(artifact.manifest());
        assertThat(m.path("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
        assertThat(m.path("subject").path("digest").asText()).isEqualTo(image.digest().toString());
        assertThat(m.path("layers").get(0).path("digest").asText()).isEqualTo(artifact.sbomDigest().toString());
        assertThat(artifact.blobs()).containsKeys(SbomArtifact.EMPTY_CONFIG_DIGEST, artifact.sbomDigest());
        // the registry's own manifest parser accepts it as a referrer of the image
        var parsed = io.berth.core.manifest.ManifestParser.parse(artifact.manifestMediaType(), artifact.manifest());
        assertThat(parsed.subject()).isEqualTo(image.digest());
        assertThat(parsed.artifactType()).isEqualTo(CycloneDx.MEDIA_TYPE);
        assertThat(parsed.blobs()).containsExactlyInAnyOrder(SbomArtifact.EMPTY_CONFIG_DIGEST, artifact.sbomDigest());
        // the artifact is itself not an image: scanning it is UNSUPPORTED_IMAGE
        blobs.putAll(artifact.blobs());
        assertThat(scanner.scan(null, artifact.manifest(), source)).isInstanceOf(ScanOutcome.Unsupported.class);
    }

    @Test
    void artifactsIndexesAndBrokenManifests() throws Exception {
        assertThat(scanner.scan(MediaTypes.OCI_MANIFEST, manifest("application/vnd.cncf.helm.config.v1+json", null),
                source)).isInstanceOf(ScanOutcome.Unsupported.class);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256Of(new byte[1]) + "\",\"size\":5,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        ScanOutcome out = scanner.scan(MediaTypes.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8), source);
        assertThat(out).isInstanceOfSatisfying(ScanOutcome.IndexOf.class,
                i -> assertThat(i.children()).extracting(Descriptor::digest).containsExactly(Digest.sha256Of(new byte[1])));
        assertThat(scanner.scan(null, "{".getBytes(), source)).isInstanceOfSatisfying(ScanOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.MALFORMED_MANIFEST));
        byte[] m = manifest(IMAGE_CONFIG, null, Tars.gzip(new Tars().file("a", "b").tar()));
        blobs.clear();
        assertThat(scanner.scan(null, m, source)).isInstanceOfSatisfying(ScanOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.BLOB_UNAVAILABLE));
        byte[] bad = manifest(IMAGE_CONFIG, null, Tars.gzip(new Tars().file("var/lib/dpkg/status", "Package: x\n"
                + "garbage\n").tar()));
        assertThat(scanner.scan(null, bad, source)).isInstanceOfSatisfying(ScanOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.MALFORMED_PACKAGE_DATA);
            assertThat(f.message()).contains("var/lib/dpkg/status line 2");
        });
    }
}
