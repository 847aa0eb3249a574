package io.berth.core.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.StarPattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A registry's replication configuration as PutReplicationConfiguration takes it (already validated by the API):
 * rules of destinations and PREFIX_MATCH repository filters. A rule without filters applies to every repository.
 *
 * <p>Beyond ECR, opt-in per destination with {@code berth admin replication} (never an ECR request field, which the
 * SDKs would refuse), kept here so they travel with the rules that name the destination:
 *
 * @param propagateDeletes   destinations that also get the source's image deletes
 * @param propagateTagMoves  destinations whose tags follow a tag added to or moved onto an existing image (as ECR,
 *                           others get only what new pushes carry)
 * @param tagFilters         destinations that get only images with a tag matching one of their patterns
 */
public record ReplicationConfiguration(List<Rule> rules, Set<Destination> propagateDeletes,
                                       Set<Destination> propagateTagMoves, List<TagFilter> tagFilters) {
    public static final ReplicationConfiguration NONE = new ReplicationConfiguration(List.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A destination: a region and a 12-digit registry (account). */
    public record Destination(String region, String registryId) {}

    /** @param prefixes the PREFIX_MATCH filters; empty: every repository */
    public record Rule(List<Destination> destinations, List<String> prefixes) {
        public Rule {
            destinations = List.copyOf(destinations);
            prefixes = List.copyOf(prefixes);
        }

        boolean applies(RepositoryName repository) {
            return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> repository.value().startsWith(p));
        }
    }

    /**
     * A destination's tag filter, in ECR's wildcard syntax ({@link StarPattern}: {@code *} is any run of characters,
     * the whole tag must match, so {@code release-*} is a prefix); any pattern matching lets an image through.
     */
    public record TagFilter(Destination destination, List<String> patterns) {
        public TagFilter {
            patterns = List.copyOf(patterns);
        }
    }

    public ReplicationConfiguration {
        rules = List.copyOf(rules);
        // configurations stored before an opt-in existed lack its field
        propagateDeletes = propagateDeletes == null ? Set.of() : Set.copyOf(propagateDeletes);
        propagateTagMoves = propagateTagMoves == null ? Set.of() : Set.copyOf(propagateTagMoves);
        tagFilters = tagFilters == null ? List.of() : List.copyOf(tagFilters);
    }

    public ReplicationConfiguration(List<Rule> rules) {
        this(rules, Set.of(), Set.of(), List.of());
    }

    /** These rules, keeping the opt-ins of this configuration whose destinations they still name. */
    public ReplicationConfiguration replacingRules(List<Rule> newRules) {
        Set<Destination> named = new ReplicationConfiguration(newRules).allDestinations();
        return new ReplicationConfiguration(newRules, retained(propagateDeletes, named),
                retained(propagateTagMoves, named),
                tagFilters.stream().filter(f -> named.contains(f.destination())).toList());
    }

    private static Set<Destination> retained(Set<Destination> set, Set<Destination> named) {
        Set<Destination> kept = new LinkedHashSet<>(set);
        kept.retainAll(named);
        return kept;
    }

    private static Set<Destination> toggled(Set<Destination> set, Destination d, boolean on) {
        Set<Destination> next = new LinkedHashSet<>(set);
        if (on) {
            next.add(d);
        } else {
            next.remove(d);
        }
        return next;
    }

    /** This configuration with deletes propagated to {@code d} or not. */
    public ReplicationConfiguration withPropagateDeletes(Destination d, boolean on) {
        return new ReplicationConfiguration(rules, toggled(propagateDeletes, d, on), propagateTagMoves, tagFilters);
    }

    /** This configuration with tag moves propagated to {@code d} or not. */
    public ReplicationConfiguration withPropagateTagMoves(Destination d, boolean on) {
        return new ReplicationConfiguration(rules, propagateDeletes, toggled(propagateTagMoves, d, on), tagFilters);
    }

    /** This configuration with {@code d}'s tag filter replaced by {@code patterns} (empty: every image). */
    public ReplicationConfiguration withTagFilter(Destination d, List<String> patterns) {
        List<TagFilter> next = new ArrayList<>(tagFilters.stream().filter(f -> !f.destination().equals(d)).toList());
        if (!patterns.isEmpty()) {
            next.add(new TagFilter(d, patterns));
        }
        return new ReplicationConfiguration(rules, propagateDeletes, propagateTagMoves, next);
    }

    /** {@code d}'s tag filter patterns; empty when it takes every image. */
    public List<String> tagFilter(Destination d) {
        return tagFilters.stream().filter(f -> f.destination().equals(d)).findFirst().map(TagFilter::patterns)
                .orElse(List.of());
    }

    /** Whether an image with {@code tags} passes {@code d}'s tag filter (every image does without one). */
    public boolean admits(Destination d, List<String> tags) {
        List<String> patterns = tagFilter(d);
        return patterns.isEmpty()
                || tags.stream().anyMatch(t -> patterns.stream().anyMatch(p -> StarPattern.matches(p, t)));
    }

    /** The distinct destinations an image pushed to {@code repository} goes to, in rule order. */
    public List<Destination> destinationsFor(RepositoryName repository) {
        Set<Destination> out = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (r.applies(repository)) {
                out.addAll(r.destinations());
            }
        }
        return List.copyOf(out);
    }

    /** Every distinct destination of every rule (ECR allows 25). */
    public Set<Destination> allDestinations() {
        Set<Destination> out = new LinkedHashSet<>();
        rules.forEach(r -> out.addAll(r.destinations()));
        return out;
    }

    /** Whether {@code d} names the registry {@code source} in {@code sourceRegion}. */
    public static boolean isSource(Destination d, RegistryId source, String sourceRegion) {
        return d.registryId().equals(source.value()) && d.region().equals(sourceRegion);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ReplicationConfiguration fromJson(String json) {
        try {
            ReplicationConfiguration c = JSON.readValue(json, ReplicationConfiguration.class);
            return new ReplicationConfiguration(new ArrayList<>(c.rules()), c.propagateDeletes(),
                    c.propagateTagMoves(), c.tagFilters());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored replication configuration is not readable: " + e.getMessage(), e);
        }
    }
}
