package io.berth.core.scanning;

import java.time.Instant;
import java.util.List;

/**
 * What one scan of one image produced.
 *
 * @param status           COMPLETE, FAILED or UNSUPPORTED_IMAGE
 * @param description      ECR's {@code imageScanStatus.description}: a summary, or the reason of a failure
 * @param sourceUpdatedAt  the newest vulnerability data the scan used ({@code vulnerabilitySourceUpdatedAt}), or null
 */
public record ScanOutcome(String status, String description, Instant sourceUpdatedAt, List<Finding> findings) {
    public ScanOutcome {
        findings = List.copyOf(findings);
    }

    public static ScanOutcome failed(String reason) {
        return new ScanOutcome("FAILED", reason, null, List.of());
    }

    public static ScanOutcome unsupported(String reason) {
        return new ScanOutcome("UNSUPPORTED_IMAGE", reason, null, List.of());
    }
}
