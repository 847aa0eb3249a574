package io.berth.server.http.ecr;

import io.berth.core.model.Digest;
import io.berth.core.scanning.Finding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link Finding} in ECR's two shapes: BASIC's {@code ImageScanFinding} (name, uri, severity, attributes) and
 * ENHANCED's {@code EnhancedImageScanFinding} (Inspector's package-vulnerability finding).
 */
final class ScanFindingShapes {
    record Attribute(String key, String value) {}

    record Basic(String name, String description, String uri, String severity, List<Attribute> attributes) {}

    record Cvss(Double baseScore, String scoringVector, String source, String version) {}

    record VulnerablePackage(String name, String version, String packageManager, String filePath,
                             String fixedInVersion, String sourceLayerHash) {}

    record PackageDetails(List<Cvss> cvss, List<String> referenceUrls, String source, String sourceUrl,
                          String vendorSeverity, String vulnerabilityId, List<VulnerablePackage> vulnerablePackages) {}

    record Recommendation(String text, String url) {}

    record Remediation(Recommendation recommendation) {}

    record ContainerImage(String registry, String repositoryName, String imageHash, List<String> imageTags) {}

    record ResourceDetails(ContainerImage awsEcrContainerImage) {}

    record Resource(String id, String type, ResourceDetails details) {}

    record Enhanced(String awsAccountId, String description, String findingArn, BigDecimal firstObservedAt,
                    BigDecimal lastObservedAt, PackageDetails packageVulnerabilityDetails, Remediation remediation,
                    List<Resource> resources, Double score, String severity, String status, String title,
                    String type, BigDecimal updatedAt, String fixAvailable, String exploitAvailable) {}

    private final EcrCall call;
    private final Digest digest;
    private final List<String> tags;

    ScanFindingShapes(EcrCall call, Digest digest, List<String> tags) {
        this.call = call;
        this.digest = digest;
        this.tags = tags;
    }

    Basic basic(Finding f) {
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("package_name", f.packageName()));
        a.add(new Attribute("package_version", f.packageVersion()));
        if (f.fixedInVersion() != null) {
            a.add(new Attribute("fixed_in_version", f.fixedInVersion()));
        }
        if (f.cvssVector() != null) {
            String v = f.cvssVersion() != null && f.cvssVersion().startsWith("2") ? "CVSS2" : "CVSS3";
            a.add(new Attribute(v + "_VECTOR", f.cvssVector()));
            if (f.cvssScore() != null) {
                a.add(new Attribute(v + "_SCORE", Double.toString(f.cvssScore())));
            }
        }
        return new Basic(f.vulnerabilityId(), f.description(), f.uri(), f.severity(), a);
    }

    Enhanced enhanced(Finding f) {
        String account = call.registryId.value();
        List<Cvss> cvss = f.cvssVector() == null ? List.of()
                : List.of(new Cvss(f.cvssScore(), f.cvssVector(), f.source(), f.cvssVersion()));
        PackageDetails details = new PackageDetails(cvss, f.referenceUrls(), f.source(), f.sourceUrl(),
                f.severity(), f.vulnerabilityId(), List.of(new VulnerablePackage(f.packageName(),
                f.packageVersion(), f.packageManager(), f.filePath(), f.fixedInVersion(), null)));
        String fix = f.fixedInVersion() == null ? "NO" : "YES";
        Remediation remediation = new Remediation(new Recommendation(f.fixedInVersion() == null
                ? "No fixed version is known yet." : "Update " + f.packageName() + " to " + f.fixedInVersion()
                + " or later.", f.uri()));
        Resource resource = new Resource("arn:aws:ecr:" + call.region + ":" + account + ":repository/"
                + call.repository().value() + "/" + digest, "AWS_ECR_CONTAINER_IMAGE", new ResourceDetails(
                new ContainerImage(account, call.repository().value(), digest.toString(), tags)));
        String findingArn = "arn:aws:inspector2:" + call.region + ":" + account + ":finding/"
                + Digest.sha256Of((digest + " " + f.vulnerabilityId() + " " + f.packageName() + " " + f.filePath())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex().substring(0, 32);
        return new Enhanced(account, f.description(), findingArn, Shapes.epoch(f.firstObservedAt()),
                Shapes.epoch(f.lastObservedAt()), details, remediation, List.of(resource), f.cvssScore(),
                f.severity(), "ACTIVE", f.title() != null ? f.title() : f.vulnerabilityId() + " - " + f.packageName(),
                "PACKAGE_VULNERABILITY", Shapes.epoch(f.lastObservedAt()), fix, "NO");
    }
}
