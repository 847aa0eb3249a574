package io.berth.core.scanning;

import io.berth.core.spi.meta.ScanStore.PackageKey;
import java.time.Instant;
import java.util.List;

/**
 * What one scan of one image produced.
 *
 * @param status           COMPLETE, FAILED or UNSUPPORTED_IMAGE
 * @param description      ECR's {@code imageScanStatus.description}: a summary, or the reason of a failure
 * @param sourceUpdatedAt  the newest vulnerability data the scan used ({@code vulnerabilitySourceUpdatedAt}), or null
 * @param packages         every package the image holds, keyed as vulnerability data names them, so a data update
 *                         finds the images it concerns (continuous scanning)
 */
public record ScanOutcome(String status, String description, Instant sourceUpdatedAt, List<Finding> findings,
                          List<PackageKey> packages) {
    public ScanOutcome {
        findings = List.copyOf(findings);
        packages = List.copyOf(packages);
    }

    public ScanOutcome(String status, String description, Instant sourceUpdatedAt, List<Finding> findings) {
        this(status, description, sourceUpdatedAt, findings, List.of());
    }

    public static ScanOutcome failed(String reason) {
        return new ScanOutcome("FAILED", reason, null, List.of());
    }

    public static ScanOutcome unsupported(String reason) {
        return new ScanOutcome("UNSUPPORTED_IMAGE", reason, null, List.of());
    }
}
