package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Vulnerability scanning state: each registry's scanning configuration, and the last scan of each image. An image's
 * scan goes with the image (and the repository). Callers validate and serialise; the store keeps text.
 */
public interface ScanStore {

    /** The registry's configuration as stored: scan type and the rules as JSON; empty when never set. */
    Optional<StoredConfiguration> configuration(RegistryId registry);

    void putConfiguration(RegistryId registry, String scanType, String rulesJson, Instant now);

    /** The image's last scan, findings included. */
    Optional<ImageScanRecord> scan(long repositoryId, Digest digest);

    /** The last scans of these images, without their findings (for DescribeImages' summaries). */
    Map<Digest, ImageScanRecord> summaries(long repositoryId, Collection<Digest> digests);

    /**
     * Marks a scan started: IN_PROGRESS, {@code startedAt} now. The previous scan's findings and times stay until
     * this one finishes (so a finding keeps the time it was first observed). False when the image is not in the
     * repository (deleted meanwhile).
     */
    boolean start(long repositoryId, Digest digest, String scanType, Instant now);

    /**
     * Records a finished scan. False, and nothing changes, when the image is gone or a later scan started after
     * {@code startedAt} (that scan's result will be the one kept).
     */
    boolean finish(long repositoryId, Digest digest, Instant startedAt, ImageScanRecord result);

    record StoredConfiguration(String scanType, String rulesJson, Instant updatedAt) {}
}
