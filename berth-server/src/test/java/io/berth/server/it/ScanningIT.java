package io.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.MediaTypes;
import io.berth.scanner.vulndb.imports.Format;
import io.berth.scanner.vulndb.imports.VulnImporter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;

/**
 * Vulnerability scanning end to end through the real server and the AWS SDK: Debian advisories imported into the
 * server's database (an excerpt of the real DSA list: DSA-5343-1 openssl and DSA-5338-1 cinder), a bullseye image
 * built here (os-release of Debian 11 and a dpkg status with openssl and libssl1.1 at 1.1.1n-0+deb11u3, the
 * version before the DSA's fix, and zlib1g, which no advisory names), scanned on push and by StartImageScan, in
 * BASIC and ENHANCED shapes, with its SBOM attached as a referrer.
 */
class ScanningIT {
    @RegisterExtension
    static final TestServer server = new TestServer();
    private static EcrClient ecr;

    @BeforeAll
    static void importData() throws Exception {
        ecr = server.ecr();
        Path list = Path.of(ScanningIT.class.getResource("/scanning/DSA-list-excerpt").toURI());
        var result = new VulnImporter(server.app().stores().vulnerabilities(), Clock.systemUTC())
                .importPath(list, Format.DEBIAN_LIST, "debian-dsa", (records, stored) -> { });
        assertThat(result.status()).as("the excerpt imported").isPresent();
    }

    /** A one-layer Debian 11 image with a vulnerable openssl; pushed under {@code tag}, its digest returned. */
    static Digest pushBullseye(String repo, String tag, String marker) throws Exception {
        // the image's two files, shared with ci/interop-scanning.sh
        String status = Files.readString(Path.of(ScanningIT.class.getResource("/scanning/bullseye-dpkg-status")
                .toURI()));
        String osRelease = Files.readString(Path.of(ScanningIT.class.getResource("/scanning/bullseye-os-release")
                .toURI()));
        byte[] layer = tarGz(Map.of("etc/os-release", osRelease, "var/lib/dpkg/status", status,
                "etc/marker", marker));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[]},\"config\":{\"Labels\":{\"marker\":\"" + marker + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest c = server.pushBlob(repo, config);
        Digest l = server.pushBlob(repo, layer);
        String manifest = Fixtures.ociManifest(c, config.length, l, layer.length);
        var r = server.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertThat(r.statusCode()).as(TestServer.describe(r)).isEqualTo(201);
        return Digest.sha256Of(manifest.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] tarGz(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (var e : new java.util.TreeMap<>(files).entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(b.length);
                tar.putArchiveEntry(entry);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static DescribeImageScanFindingsResponse awaitScan(String repo, Digest digest) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                var r = ecr.describeImageScanFindings(b -> b.repositoryName(repo)
                        .imageId(ImageIdentifier.builder().imageDigest(digest.toString()).build()));
                if (!r.imageScanStatus().statusAsString().equals("IN_PROGRESS")) {
                    return r;
                }
            } catch (software.amazon.awssdk.services.ecr.model.ScanNotFoundException e) {
                // the push's scan job has not started yet
            }
            assertThat(System.nanoTime()).as("waiting for the scan of %s in %s", digest, repo).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void basicOnPushFor(String filter) {
        ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC).rules(RegistryScanningRule.builder()
                .scanFrequency(ScanFrequency.SCAN_ON_PUSH).repositoryFilters(ScanningRepositoryFilter.builder()
                        .filter(filter).filterType("WILDCARD").build()).build()));
    }

    @Test
    void basicScanOnPush_findsExactlyTheDsaOfOpenssl_attachesTheSbom_andTheQuotaHolds() throws Exception {
        basicOnPushFor("scanned");
        ecr.createRepository(b -> b.repositoryName("scanned/app"));
        Digest image = pushBullseye("scanned/app", "1.0", "basic");

        var found = awaitScan("scanned/app", image);
        assertThat(found.imageScanStatus().statusAsString()).as("status: %s", found.imageScanStatus())
                .isEqualTo("COMPLETE");
        var findings = found.imageScanFindings().findings();
        assertThat(findings).extracting(f -> f.name() + " " + attribute(f, "package_name") + " "
                        + attribute(f, "package_version") + " " + f.severityAsString())
                .as("findings for openssl and libssl1.1 (source openssl) at 1.1.1n-0+deb11u3; none for zlib1g "
                        + "or cinder").containsExactlyInAnyOrder(
                        "DSA-5343-1 openssl 1.1.1n-0+deb11u3 UNDEFINED",
                        "DSA-5343-1 libssl1.1 1.1.1n-0+deb11u3 UNDEFINED");
        assertThat(attribute(findings.get(0), "fixed_in_version")).isEqualTo("1.1.1n-0+deb11u4");
        assertThat(found.imageScanFindings().findingSeverityCountsAsStrings()).containsExactly(
                Map.entry("UNDEFINED", 2));
        assertThat(found.imageScanFindings().imageScanCompletedAt()).isNotNull();

        var detail = ecr.describeImages(b -> b.repositoryName("scanned/app")
                .imageIds(ImageIdentifier.builder().imageTag("1.0").build())).imageDetails().get(0);
        assertThat(detail.imageScanStatus().statusAsString()).as("DescribeImages imageScanStatus")
                .isEqualTo("COMPLETE");
        assertThat(detail.imageScanFindingsSummary().findingSeverityCountsAsStrings())
                .as("DescribeImages imageScanFindingsSummary").containsExactly(Map.entry("UNDEFINED", 2));
        var listed = ecr.describeImages(b -> b.repositoryName("scanned/app")).imageDetails();
        assertThat(listed).filteredOn(i -> i.imageDigest().equals(image.toString())).singleElement()
                .satisfies(i -> assertThat(i.imageScanStatus().statusAsString()).isEqualTo("COMPLETE"));

        var referrers = server.get("/v2/scanned/app/referrers/" + image);
        assertThat(TestServer.text(referrers)).as("referrers of the scanned image")
                .contains("\"artifactType\":\"application/vnd.cyclonedx+json\"");

        var again = Ecr.errorOf(() -> ecr.startImageScan(b -> b.repositoryName("scanned/app")
                .imageId(ImageIdentifier.builder().imageTag("1.0").build())));
        assertThat(again).as("StartImageScan right after the on-push scan").startsWith("LimitExceededException: "
                + "The scan quota per image has been exceeded");

        var config = ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames("scanned/app",
                "no/such"));
        assertThat(config.scanningConfigurations()).singleElement().satisfies(c -> {
            assertThat(c.scanFrequencyAsString()).isEqualTo("SCAN_ON_PUSH");
            assertThat(c.scanOnPush()).isTrue();
            assertThat(c.appliedScanFilters()).extracting(ScanningRepositoryFilter::filter).containsExactly("scanned");
        });
        assertThat(config.failures()).singleElement().satisfies(f -> {
            assertThat(f.repositoryName()).isEqualTo("no/such");
            assertThat(f.failureCodeAsString()).isEqualTo("REPOSITORY_NOT_FOUND");
        });
    }

    @Test
    void manualScan_whereNoRuleMatches_thenStartImageScan_andAnArtifactIsUnsupported() throws Exception {
        basicOnPushFor("scanned");
        ecr.createRepository(b -> b.repositoryName("manual/app"));
        Digest image = pushBullseye("manual/app", "1.0", "manual");
        Thread.sleep(1500); // long enough for a push's scan to have been queued, if one were
        assertThat(ecr.describeImages(b -> b.repositoryName("manual/app")).imageDetails().get(0).imageScanStatus())
                .as("DescribeImages of a never-scanned image").isNull();
        assertThat(Ecr.errorOf(() -> ecr.describeImageScanFindings(b -> b.repositoryName("manual/app")
                .imageId(ImageIdentifier.builder().imageTag("1.0").build()))))
                .as("a repository no rule matches is not scanned on push").startsWith("ScanNotFoundException: ");

        var started = ecr.startImageScan(b -> b.repositoryName("manual/app")
                .imageId(ImageIdentifier.builder().imageTag("1.0").build()));
        assertThat(started.imageScanStatus().statusAsString()).isEqualTo("IN_PROGRESS");
        assertThat(started.imageId().imageDigest()).isEqualTo(image.toString());
        assertThat(awaitScan("manual/app", image).imageScanFindings().findings()).hasSize(2);

        // the SBOM the scan attached is an artifact, not an image
        String sbom = TestServer.text(server.get("/v2/manual/app/referrers/" + image))
                .replaceAll("(?s).*\"digest\":\"(sha256:[0-9a-f]{64})\".*", "$1");
        assertThat(Ecr.errorOf(() -> ecr.startImageScan(b -> b.repositoryName("manual/app")
                .imageId(ImageIdentifier.builder().imageDigest(sbom).build()))))
                .startsWith("UnsupportedImageTypeException: ");
        assertThat(Ecr.errorOf(() -> ecr.startImageScan(b -> b.repositoryName("manual/app")
                .imageId(ImageIdentifier.builder().imageTag("nope").build()))))
                .startsWith("ImageNotFoundException: ");
    }

    @Test
    void archivedImage_cannotBeScanned() throws Exception {
        basicOnPushFor("scanned");
        ecr.createRepository(b -> b.repositoryName("manual/archived"));
        Digest image = pushBullseye("manual/archived", "1.0", "archived");
        ecr.updateImageStorageClass(b -> b.repositoryName("manual/archived")
                .imageId(ImageIdentifier.builder().imageDigest(image.toString()).build())
                .targetStorageClass("ARCHIVE"));
        assertThat(Ecr.errorOf(() -> ecr.startImageScan(b -> b.repositoryName("manual/archived")
                .imageId(ImageIdentifier.builder().imageDigest(image.toString()).build()))))
                .startsWith("ImageArchivedException: ");
    }

    @Test
    void enhanced_continuousRule_scansOnPush_answersEnhancedFindings_andRefusesManualScans() throws Exception {
        try {
            ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED).rules(RegistryScanningRule
                    .builder().scanFrequency(ScanFrequency.CONTINUOUS_SCAN).repositoryFilters(
                            ScanningRepositoryFilter.builder().filter("enh*").filterType("WILDCARD").build())
                    .build()));
            assertThat(ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration().scanTypeAsString())
                    .isEqualTo("ENHANCED");
            ecr.createRepository(b -> b.repositoryName("enhanced/app"));
            Digest image = pushBullseye("enhanced/app", "1.0", "enhanced");
            var found = awaitScan("enhanced/app", image);
            assertThat(found.imageScanFindings().findings()).as("BASIC findings under ENHANCED").isEmpty();
            var enhanced = found.imageScanFindings().enhancedFindings();
            assertThat(enhanced).hasSize(2).allSatisfy(f -> {
                assertThat(f.type()).isEqualTo("PACKAGE_VULNERABILITY");
                assertThat(f.fixAvailable()).isEqualTo("YES");
                assertThat(f.packageVulnerabilityDetails().vulnerabilityId()).isEqualTo("DSA-5343-1");
                assertThat(f.packageVulnerabilityDetails().vulnerablePackages()).singleElement()
                        .satisfies(p -> assertThat(p.fixedInVersion()).isEqualTo("1.1.1n-0+deb11u4"));
                assertThat(f.resources()).singleElement().satisfies(r -> assertThat(
                        r.details().awsEcrContainerImage().imageHash()).isEqualTo(image.toString()));
                assertThat(f.firstObservedAt()).isNotNull();
            });
            assertThat(Ecr.errorOf(() -> ecr.startImageScan(b -> b.repositoryName("enhanced/app")
                    .imageId(ImageIdentifier.builder().imageTag("1.0").build()))))
                    .startsWith("ValidationException: StartImageScan is not supported");

            // continuous scanning: a data update that names zlib rescans this image (and no image of a repository
            // that does not scan continuously). The record is made up for the test, in the DSA list's format.
            Path extra = Files.createTempFile("dsa-extra", ".list");
            Files.writeString(extra, "[01 Dec 2026] DSA-9999-1 zlib - security update\n\t{CVE-2026-99999}\n"
                    + "\t[bullseye] - zlib 1:1.2.11.dfsg-2+deb11u3\n");
            var basic = server.app().stores().metadata().read(tx -> tx.repositories().get(
                    new io.berth.core.model.RegistryId(TestServer.ACCOUNT),
                    io.berth.core.model.RepositoryName.of("manual/app")));
            // the rescan matches the inventory stored with the image (its SBOM referrer), not the layers: with the
            // layer's blob gone, a rescan that read the layers would end FAILED
            var app = server.app().stores();
            byte[] manifest = app.metadata().read(tx -> tx.manifests().get(tx.repositories().get(
                    new io.berth.core.model.RegistryId(TestServer.ACCOUNT),
                    io.berth.core.model.RepositoryName.of("enhanced/app")).orElseThrow().id(), image))
                    .orElseThrow().content();
            Digest layer = Digest.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest)
                    .path("layers").get(0).path("digest").asText());
            assertThat(app.blobs().delete(layer)).as("the layer's blob deleted").isTrue();
            new VulnImporter(server.app().stores().vulnerabilities(), Clock.systemUTC())
                    .importPath(extra, Format.DEBIAN_LIST, "test-extra", (records, stored) -> { });
            io.berth.core.scanning.ContinuousRescans.afterImport(server.app().stores().metadata(), "test-extra",
                    java.time.Instant.now());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> ids;
            do {
                Thread.sleep(200);
                var again = ecr.describeImageScanFindings(b -> b.repositoryName("enhanced/app")
                        .imageId(ImageIdentifier.builder().imageTag("1.0").build()));
                ids = again.imageScanFindings() == null ? List.of() : again.imageScanFindings().enhancedFindings()
                        .stream().map(f -> f.packageVulnerabilityDetails().vulnerabilityId() + " "
                                + f.packageVulnerabilityDetails().vulnerablePackages().get(0).name()).toList();
                assertThat(System.nanoTime()).as("waiting for the rescan, findings now %s", ids).isLessThan(deadline);
            } while (!ids.contains("DSA-9999-1 zlib1g"));
            assertThat(ids).as("findings after the update").containsExactlyInAnyOrder("DSA-5343-1 openssl",
                    "DSA-5343-1 libssl1.1", "DSA-9999-1 zlib1g");
            var rescanned = ecr.describeImageScanFindings(b -> b.repositoryName("enhanced/app")
                    .imageId(ImageIdentifier.builder().imageTag("1.0").build()));
            assertThat(rescanned.imageScanStatus().statusAsString()).as("the rescan, without the layer")
                    .isEqualTo("COMPLETE");
            server.app().stores().vulnerabilities().delete("test-extra");
            assertThat(basic).isEmpty(); // manual/app is another test's; it may not exist yet, and is BASIC anyway
        } finally {
            ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC));
        }
    }

    /** ECR's SCAN_ELIGIBILITY_EXPIRED: continuous scanning no longer covers an image idle for 30 days. */
    @Test
    void continuous_imageIdleFor30Days_showsScanEligibilityExpired_withItsLastFindings() throws Exception {
        try {
            ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED).rules(RegistryScanningRule
                    .builder().scanFrequency(ScanFrequency.CONTINUOUS_SCAN).repositoryFilters(
                            ScanningRepositoryFilter.builder().filter("idle*").filterType("WILDCARD").build())
                    .build()));
            ecr.createRepository(b -> b.repositoryName("idle/app"));
            Digest image = pushBullseye("idle/app", "1.0", "idle");
            assertThat(awaitScan("idle/app", image).imageScanStatus().statusAsString()).isEqualTo("COMPLETE");
            var id = ImageIdentifier.builder().imageDigest(image.toString()).build();
            java.time.Instant old = java.time.Instant.now().minus(Duration.ofDays(31));
            var images = server.app().stores().services().images(new io.berth.core.model.RegistryId(
                    TestServer.ACCOUNT), io.berth.core.event.EventRecorder.ADMIN);
            images.setImageTimes(io.berth.core.model.RepositoryName.of("idle/app"), image, old, old);

            var findings = ecr.describeImageScanFindings(b -> b.repositoryName("idle/app").imageId(id));
            assertThat(findings.imageScanStatus().statusAsString()).isEqualTo("SCAN_ELIGIBILITY_EXPIRED");
            assertThat(findings.imageScanStatus().description()).contains("30 days");
            assertThat(findings.imageScanFindings().enhancedFindings()).as("the last scan's findings stay")
                    .hasSize(2);
            var detail = ecr.describeImages(b -> b.repositoryName("idle/app").imageIds(id)).imageDetails().get(0);
            assertThat(detail.imageScanStatus().statusAsString()).isEqualTo("SCAN_ELIGIBILITY_EXPIRED");
            assertThat(detail.imageScanFindingsSummary().findingSeverityCounts()).isNotEmpty();

            images.setImageTimes(io.berth.core.model.RepositoryName.of("idle/app"), image, old,
                    java.time.Instant.now());
            assertThat(ecr.describeImageScanFindings(b -> b.repositoryName("idle/app").imageId(id))
                    .imageScanStatus().statusAsString()).as("pulled again: eligible").isEqualTo("COMPLETE");
        } finally {
            ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC));
        }
    }

    @Test
    void badConfigurations_areRefusedWithEcrsExceptions_andChangeNothing() {
        basicOnPushFor("kept");
        RegistryScanningRule rule = RegistryScanningRule.builder().scanFrequency(ScanFrequency.SCAN_ON_PUSH)
                .repositoryFilters(ScanningRepositoryFilter.builder().filter("a").filterType("WILDCARD").build())
                .build();
        assertThat(Ecr.errorOf(() -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(rule, rule, rule)))).as("three rules")
                .startsWith("ValidationException: 1 validation error detected: ")
                .contains("at 'rules' failed to satisfy constraint: Member must have length less than or equal to 2");
        assertThat(Ecr.errorOf(() -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(rule.toBuilder().scanFrequency(ScanFrequency.CONTINUOUS_SCAN).build()))))
                .as("CONTINUOUS_SCAN under BASIC").startsWith("InvalidParameterException: ")
                .contains("CONTINUOUS_SCAN is not supported for scan type BASIC");
        assertThat(Ecr.errorOf(() -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                .rules(rule.toBuilder().repositoryFilters(ScanningRepositoryFilter.builder().filter("Bad Name")
                        .filterType("WILDCARD").build()).build()))))
                .as("a filter outside ECR's pattern").startsWith("ValidationException: ")
                .contains("rules.1.member.repositoryFilters.1.member.filter");
        assertThat(ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration().rules())
                .as("the configuration after three refused puts").singleElement()
                .satisfies(r -> assertThat(r.repositoryFilters().get(0).filter()).isEqualTo("kept"));
        assertThat(Ecr.errorOf(() -> ecr.batchGetRepositoryScanningConfiguration(b -> b.repositoryNames(
                java.util.Collections.nCopies(26, "a/b"))))).startsWith("ValidationException: ");
    }

    private static String attribute(software.amazon.awssdk.services.ecr.model.ImageScanFinding f, String key) {
        return f.attributes().stream().filter(a -> a.key().equals(key)).map(a -> a.value()).findFirst()
                .orElse(null);
    }
}
