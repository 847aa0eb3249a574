package io.berth.core.service;

import io.berth.core.model.RepositoryName;

/**
 * Asked just before a push creates a repository that does not exist (create-on-push). The HTTP plane checks the
 * caller's {@code ecr:CreateRepository} here, so creating by push needs the same permission as CreateRepository.
 */
@FunctionalInterface
public interface CreateGuard {
    /** Creation needs no permission: the unauthenticated test setups and internal callers. */
    CreateGuard ANYONE = name -> { };

    /** Throws (a {@link io.berth.core.error.RegistryException}, DENIED or UNAUTHORIZED) to refuse the creation. */
    void beforeCreate(RepositoryName name);
}
