package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;

/**
 * The principals of each registry whose pulls do not update {@code lastRecordedPullTime} (ECR's pull-time update
 * exclusions), by principal ARN.
 */
public interface PullExclusionStore {

    /** Registers the exclusion; false (and nothing changes) when it exists already. */
    boolean add(RegistryId registryId, String principalArn, Instant now);

    /** When the exclusion was registered, if it is. */
    java.util.Optional<Instant> get(RegistryId registryId, String principalArn);

    /** False when the principal was not excluded. */
    boolean remove(RegistryId registryId, String principalArn);

    /** Excluded ARNs in byte order, strictly after {@code afterArn} when given, at most {@code limit}. */
    List<String> list(RegistryId registryId, String afterArn, int limit);
}
