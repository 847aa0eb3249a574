package io.berth.server.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code lifecycle.*}: lifecycle policy evaluation. Every {@code interval} (ECR's 24 h by default; seconds for tests;
 * zero: never) each repository with a lifecycle policy is evaluated once, on one node, as a job of its own.
 */
public record LifecycleConfig(Duration interval) {
    public static final ConfigKey INTERVAL = ConfigKey.of("lifecycle.interval", "24h");

    static final ConfigSection<LifecycleConfig> SECTION = new ConfigSection<>("lifecycle", List.of(INTERVAL),
            v -> new LifecycleConfig(v.duration(INTERVAL)));
}
