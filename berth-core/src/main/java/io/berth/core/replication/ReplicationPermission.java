package io.berth.core.replication;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import java.util.Optional;

/**
 * Whether {@code source}'s account may replicate into another account's {@code destination} registry: ECR requires
 * the destination's registry policy to allow {@code ecr:ReplicateImage} to the source account. The server answers
 * it with its policy engine.
 */
@FunctionalInterface
public interface ReplicationPermission {
    ReplicationPermission ANY = (source, destination, repository) -> Optional.empty();

    /** Empty when allowed; else the reason, shown as the destination's failureCode. */
    Optional<String> refusal(RegistryId source, RegistryId destination, RepositoryName repository);
}
