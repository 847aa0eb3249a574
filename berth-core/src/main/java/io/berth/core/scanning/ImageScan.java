package io.berth.core.scanning;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ImageScanRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image's last scan as the APIs show it.
 *
 * @param severityCounts severity → count of the last completed scan (empty before one completes)
 * @param findings       the findings of the last completed scan; empty in summaries
 */
public record ImageScan(Digest digest, ScanType scanType, String status, String description, Instant startedAt,
                        Instant completedAt, Instant sourceUpdatedAt, Map<String, Integer> severityCounts,
                        List<Finding> findings) {

    static ImageScan of(ImageScanRecord r) {
        return new ImageScan(r.digest(), ScanType.valueOf(r.scanType()), r.status(), r.description(), r.startedAt(),
                r.completedAt(), r.sourceUpdatedAt(), ScanningJson.counts(r.severityCounts()),
                ScanningJson.findings(r.findings()));
    }

    /** ECR's status for an image continuous scanning no longer covers (30 days without a push or a pull). */
    public static final String ELIGIBILITY_EXPIRED = "SCAN_ELIGIBILITY_EXPIRED";

    /** True when the last scan completed: its findings are shown (also once its eligibility expired). */
    public boolean complete() {
        return "COMPLETE".equals(status) || ELIGIBILITY_EXPIRED.equals(status) && completedAt != null;
    }

    /** This scan as shown for an image whose continuous scanning is suspended; its last findings stay. */
    ImageScan eligibilityExpired() {
        return new ImageScan(digest, scanType, ELIGIBILITY_EXPIRED, "The image has been neither pushed nor pulled in "
                + ContinuousRescans.ELIGIBILITY.toDays() + " days, so continuous scanning no longer rescans it; "
                + "push or pull it to resume" + (completedAt == null ? "" : " (findings of the last scan, "
                + completedAt + ")"), startedAt, completedAt, sourceUpdatedAt, severityCounts, findings);
    }
}
