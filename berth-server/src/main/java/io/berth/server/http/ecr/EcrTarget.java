package io.berth.server.http.ecr;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;

/**
 * What an ECR request addresses, settled before the action runs so that authorization happens in one place for
 * every action: the registry (the {@code registryId} field, the account of a {@code resourceArn}, else the caller's
 * own account) and the repository ({@code repositoryName}, or the ARN's name; null for account-level actions).
 * Request records declare what they address by implementing {@link InRegistry}, {@link InRepository} or
 * {@link OnResource}; the validated values reach the action on its {@link EcrCall}.
 *
 * @param repository the validated repository name, or null for an account-level request
 */
record EcrTarget(RegistryId registry, RepositoryName repository) {

    /** A request on an account's registry, with ECR's optional {@code registryId} (default: the caller's). */
    interface InRegistry {
        String registryId();
    }

    /** A request on one repository of a registry. */
    interface InRepository extends InRegistry {
        String repositoryName();
    }

    /** A request on a resource named by its ARN (the tag operations). */
    interface OnResource {
        String resourceArn();
    }

    static EcrTarget of(Object request, Principal principal, String region) {
        if (request instanceof OnResource r) {
            RepositoryArn arn = RepositoryArn.parse(r.resourceArn(), region);
            return new EcrTarget(arn.registry(), arn.name());
        }
        RegistryId registry = principal.account() != null ? principal.account() : RegistryId.DEFAULT;
        if (request instanceof InRegistry r && r.registryId() != null) {
            Validation.pattern("registryId", r.registryId(), "[0-9]{12}");
            registry = new RegistryId(r.registryId());
        }
        RepositoryName repository = request instanceof InRepository r
                ? Validation.repositoryName(r.repositoryName()) : null;
        return new EcrTarget(registry, repository);
    }

    /** The same target in {@code region}'s registry of its account. */
    EcrTarget inRegion(io.berth.core.region.Regions regions, String region) {
        return new EcrTarget(regions.registry(registry, region), repository);
    }

    /** The repository's name for access decisions, or null for an account-level request. */
    String repositoryValue() {
        return repository == null ? null : repository.value();
    }
}
