package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import java.time.Instant;

/**
 * The last scan of one image.
 *
 * @param status            IN_PROGRESS, COMPLETE, FAILED or UNSUPPORTED_IMAGE
 * @param severityCounts    JSON object severity → count, null until complete
 * @param findings          JSON array of findings, null in summaries and until complete
 * @param sourceUpdatedAt   the vulnerability data's newest date the scan used, or null
 */
public record ImageScanRecord(Digest digest, String scanType, String status, String description, Instant startedAt,
                              Instant completedAt, Instant sourceUpdatedAt, String severityCounts, String findings) {}
