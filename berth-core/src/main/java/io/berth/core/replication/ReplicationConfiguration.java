package io.berth.core.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A registry's replication configuration as PutReplicationConfiguration takes it (already validated by the API):
 * rules of destinations and PREFIX_MATCH repository filters. A rule without filters applies to every repository.
 *
 * @param propagateDeletes beyond ECR, opt-in with {@code berth admin replication}: destinations that also get the
 *                         source's image deletes (never an ECR request field)
 */
public record ReplicationConfiguration(List<Rule> rules, Set<Destination> propagateDeletes) {
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

    public ReplicationConfiguration {
        rules = List.copyOf(rules);
        propagateDeletes = propagateDeletes == null ? Set.of() : Set.copyOf(propagateDeletes);
    }

    public ReplicationConfiguration(List<Rule> rules) {
        this(rules, Set.of());
    }

    /** These rules, keeping the delete opt-ins of this configuration whose destinations they still name. */
    public ReplicationConfiguration replacingRules(List<Rule> newRules) {
        ReplicationConfiguration next = new ReplicationConfiguration(newRules);
        Set<Destination> kept = new LinkedHashSet<>(propagateDeletes);
        kept.retainAll(next.allDestinations());
        return new ReplicationConfiguration(newRules, kept);
    }

    /** This configuration with deletes propagated to {@code d} or not. */
    public ReplicationConfiguration withPropagateDeletes(Destination d, boolean on) {
        Set<Destination> next = new LinkedHashSet<>(propagateDeletes);
        if (on) {
            next.add(d);
        } else {
            next.remove(d);
        }
        return new ReplicationConfiguration(rules, next);
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
            return new ReplicationConfiguration(new ArrayList<>(c.rules()), c.propagateDeletes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored replication configuration is not readable: " + e.getMessage(), e);
        }
    }
}
