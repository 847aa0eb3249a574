package io.berth.core.audit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pulls per repository since the process started. Pulls are far too frequent to be audit events (one per layer
 * per client); a counter costs one map lookup and an uncontended add. {@code lastRecordedPullTime} is kept in the
 * database by the core services, independently of this.
 */
public final class PullCounts {
    /** Bounded, so an attacker pulling random names cannot grow the map without limit. */
    private static final int MAX_REPOSITORIES = 100_000;

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one pull of {@code registryId/repository}. */
    public void pulled(String registryId, String repository) {
        String key = registryId + "/" + repository;
        LongAdder c = counts.get(key);
        if (c == null) {
            if (counts.size() >= MAX_REPOSITORIES) {
                return;
            }
            c = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        c.increment();
    }

    public long count(String registryId, String repository) {
        LongAdder c = counts.get(registryId + "/" + repository);
        return c == null ? 0 : c.sum();
    }

    /** {@code registryId/repository} to count, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
