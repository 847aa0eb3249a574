package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pull-through cache rules of each registry, keyed by prefix, and when each cached tag was last checked upstream
 * (so a tag is re-checked at most once per refresh interval, on every node of a deployment).
 */
public interface PullThroughRuleStore {

    Optional<PullThroughRuleRecord> get(RegistryId registryId, String prefix);

    /** Inserts the rule; false (and nothing changes) when the registry has one for that prefix already. */
    boolean create(RegistryId registryId, PullThroughRuleRecord rule);

    /** Sets the credential and role of the prefix's rule; false when there is none. */
    boolean update(RegistryId registryId, String prefix, String credentialArn, String customRoleArn, Instant now);

    /** False when there was no rule for the prefix. */
    boolean delete(RegistryId registryId, String prefix);

    /** Rules in prefix order (byte order), strictly after {@code afterPrefix} when given, at most {@code limit}. */
    List<PullThroughRuleRecord> list(RegistryId registryId, String afterPrefix, int limit);

    int count(RegistryId registryId);

    /** When {@code repository:tag} was last fetched or checked upstream; empty when never. */
    Optional<Instant> tagChecked(RegistryId registryId, String repository, String tag);

    /** Records that {@code repository:tag} was checked upstream at {@code at}. */
    void markTagChecked(RegistryId registryId, String repository, String tag, Instant at);
}
