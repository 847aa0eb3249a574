package io.berth.core.pullthrough;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.PullThroughRuleRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The pull-through cache rules of one registry: create, read, update, delete, and which rule a repository name falls
 * under. The server validated every field before it calls here; this class owns existence, the quota, overlaps and
 * matching.
 */
public final class PullThroughRules {
    /** ECR's quota of rules per registry (the 2022 documentation said 10). */
    public static final int MAX_RULES = 50;
    public static final String ROOT = "ROOT";

    private final MetadataStore metadata;
    private final RegistryId registryId;
    private final Clock clock;
    private final Runnable changed;

    /** @param changed told after every change (the node's rule cache drops the registry's rules) */
    PullThroughRules(MetadataStore metadata, RegistryId registryId, Clock clock, Runnable changed) {
        this.metadata = metadata;
        this.registryId = registryId;
        this.clock = clock;
        this.changed = changed;
    }

    /** The prefix as stored: without ECR's "assumed /" at the end. */
    public static String normalizePrefix(String prefix) {
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /**
     * PullThroughCacheRuleAlreadyExists for a taken prefix, LimitExceeded past {@link #MAX_RULES}, and
     * InvalidParameter for a prefix nested in another rule's (or holding one): a repository must fall under one rule.
     */
    public PullThroughRule create(PullThroughRule rule) {
        PullThroughRuleRecord r = rule.stored();
        String p = r.prefix();
        PullThroughRule created = metadata.write(tx -> {
            if (tx.pullThroughRules().get(registryId, p).isPresent()) {
                throw new RegistryException(ErrorCode.PULL_THROUGH_RULE_ALREADY_EXISTS, "A pull through cache rule "
                        + "with prefix '" + p + "' already exists in the registry with id '" + registryId + "'");
            }
            List<PullThroughRuleRecord> all = tx.pullThroughRules().list(registryId, null, MAX_RULES + 1);
            if (all.size() >= MAX_RULES) {
                throw new RegistryException(ErrorCode.LIMIT_EXCEEDED, "The maximum number of pull through cache "
                        + "rules (" + MAX_RULES + ") in the registry with id '" + registryId + "' has been reached");
            }
            for (PullThroughRuleRecord other : all) {
                if (!p.equals(ROOT) && !other.prefix().equals(ROOT) && (p.startsWith(other.prefix() + "/")
                        || other.prefix().startsWith(p + "/"))) {
                    throw new RegistryException(ErrorCode.INVALID_PARAMETER, "The prefix '" + p + "' overlaps the "
                            + "prefix '" + other.prefix() + "' of another pull through cache rule; a repository "
                            + "must fall under one rule");
                }
            }
            tx.pullThroughRules().create(registryId, r);
            return PullThroughRule.of(r);
        });
        changed.run();
        return created;
    }

    /** Sets the credential and the role; PullThroughCacheRuleNotFound when the prefix has no rule. */
    public PullThroughRule update(String prefix, String credentialArn, String customRoleArn) {
        String p = normalizePrefix(prefix);
        PullThroughRule updated = metadata.write(tx -> {
            if (!tx.pullThroughRules().update(registryId, p, credentialArn, customRoleArn, clock.instant())) {
                throw notFound(p);
            }
            return PullThroughRule.of(tx.pullThroughRules().get(registryId, p).orElseThrow());
        });
        changed.run();
        return updated;
    }

    /** The deleted rule; its cached repositories stay, as in ECR. PullThroughCacheRuleNotFound when none. */
    public PullThroughRule delete(String prefix) {
        String p = normalizePrefix(prefix);
        PullThroughRule deleted = metadata.write(tx -> {
            PullThroughRuleRecord current = tx.pullThroughRules().get(registryId, p).orElseThrow(() -> notFound(p));
            tx.pullThroughRules().delete(registryId, p);
            return PullThroughRule.of(current);
        });
        changed.run();
        return deleted;
    }

    public PullThroughRule require(String prefix) {
        return find(prefix).orElseThrow(() -> notFound(normalizePrefix(prefix)));
    }

    public Optional<PullThroughRule> find(String prefix) {
        String p = normalizePrefix(prefix);
        return metadata.read(tx -> tx.pullThroughRules().get(registryId, p)).map(PullThroughRule::of);
    }

    /** Rules in prefix order after {@code afterPrefix} (null for the start), at most {@code limit}. */
    public List<PullThroughRule> list(String afterPrefix, int limit) {
        return metadata.read(tx -> tx.pullThroughRules().list(registryId, afterPrefix, limit)).stream()
                .map(PullThroughRule::of).toList();
    }

    /**
     * The rule {@code name} falls under: the one whose prefix is a namespace of it ({@code quay} holds
     * {@code quay/org/app}, not {@code quay} itself nor {@code quayx/app}), else {@code ROOT}'s.
     */
    public Optional<PullThroughRule> match(RepositoryName name) {
        return metadata.read(tx -> {
            String n = name.value();
            for (int slash = n.lastIndexOf('/'); slash > 0; slash = n.lastIndexOf('/', slash - 1)) {
                Optional<PullThroughRuleRecord> r = tx.pullThroughRules().get(registryId, n.substring(0, slash));
                if (r.isPresent()) {
                    return r;
                }
            }
            return tx.pullThroughRules().get(registryId, ROOT);
        }).map(PullThroughRule::of);
    }

    /** {@link #match(RepositoryName)} among {@code rules} (a registry's, as kept in memory). */
    static Optional<PullThroughRule> match(List<PullThroughRule> rules, RepositoryName name) {
        PullThroughRule best = null;
        for (PullThroughRule r : rules) {
            if (r.prefix().equals(ROOT)) {
                best = best == null ? r : best;
            } else if (name.value().startsWith(r.prefix() + "/") && (best == null || best.prefix().equals(ROOT)
                    || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The upstream repository of {@code name} under {@code rule}: the prefix swapped for the upstream's. */
    public static String upstreamRepository(PullThroughRule rule, RepositoryName name) {
        String rest = rule.prefix().equals(ROOT) ? name.value() : name.value().substring(rule.prefix().length() + 1);
        String up = rule.upstreamRepositoryPrefix();
        return up == null || up.equals(ROOT) ? rest : normalizePrefix(up) + "/" + rest;
    }

    private RegistryException notFound(String prefix) {
        return new RegistryException(ErrorCode.PULL_THROUGH_RULE_NOT_FOUND, "The pull through cache rule with prefix '"
                + prefix + "' does not exist in the registry with id '" + registryId + "'");
    }
}
