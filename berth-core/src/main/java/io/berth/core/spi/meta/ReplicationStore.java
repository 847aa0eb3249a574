package io.berth.core.spi.meta;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Replication (issue 12 §2): each registry's replication configuration (PutReplicationConfiguration, stored as the
 * validated JSON), and the status of each image's replication to each destination (DescribeImageReplicationStatus).
 */
public interface ReplicationStore {
    /** The configuration JSON ({@code {"rules":[…]}}); empty when never set. */
    Optional<String> configuration(RegistryId registry);

    void putConfiguration(RegistryId registry, String json, Instant now);

    /** One destination's status of one image; {@code failureCode} null unless FAILED. */
    record Status(String destinationRegion, String destinationRegistry, String status, String failureCode,
                  Instant updatedAt) {}

    /** Inserts or replaces the status of {@code digest} in {@code repository} for that destination. */
    void putStatus(RegistryId registry, String repository, Digest digest, Status status);

    /** The statuses of an image, by destination region then registry. */
    List<Status> statuses(RegistryId registry, String repository, Digest digest);
}
