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

    /** Replaces the packages the image's last completed scan found (ecosystem and package as the data keys them). */
    void putPackages(long repositoryId, Digest digest, Collection<PackageKey> packages);

    /**
     * The images a data update of {@code source} concerns: those holding a package the source's current advisories
     * name, and those whose last findings came from it (an advisory it dropped may clear them), oldest scan first,
     * at most {@code limit}.
     */
    java.util.List<ImageRef> concernedBy(String source, int limit);

    record StoredConfiguration(String scanType, String rulesJson, Instant updatedAt) {}

    /** A package as vulnerability data names it: OSV's ecosystem name (no release) and the package name. */
    record PackageKey(String ecosystem, String name) {}

    /** An image by its registry, repository and digest, with its push and last pull times. */
    record ImageRef(RegistryId registry, io.berth.core.model.RepositoryName repository, Digest digest,
                    Instant pushedAt, Instant lastPulledAt) {}
}
