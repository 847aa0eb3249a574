package io.berth.core.spi.meta;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle policy of each repository, by repository ID. A repository has at most one; deleting the repository
 * deletes it. Callers validate the text before storing it.
 */
public interface LifecyclePolicyStore {

    Optional<LifecyclePolicyRecord> get(long repositoryId);

    /** Sets or replaces the text; the last evaluation time survives a replacement (it is the repository's). */
    void put(long repositoryId, String text, Instant now);

    /** The deleted record; empty (and nothing changes) when the repository had no policy. */
    Optional<LifecyclePolicyRecord> delete(long repositoryId);

    /** Records an evaluation; false when the repository has no policy (it was deleted meanwhile). */
    boolean markEvaluated(long repositoryId, Instant at);

    /** The repositories that have a policy, by ascending ID after {@code afterRepositoryId}, at most {@code limit}. */
    List<RepositoryRecord> repositoriesWithPolicy(long afterRepositoryId, int limit);
}
