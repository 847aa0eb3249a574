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

    public boolean complete() { return "COMPLETE".equals(status); }
}
