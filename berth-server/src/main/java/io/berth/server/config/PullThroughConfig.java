package io.berth.server.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code pull-through.*}: the pull-through cache. A cached tag is re-checked upstream at most once per
 * {@code refreshInterval} (ECR's 24 h by default, and not configurable there; zero: on every pull). A pull by digest
 * never goes upstream when the digest is cached.
 */
public record PullThroughConfig(Duration refreshInterval) {
    public static final ConfigKey REFRESH_INTERVAL = ConfigKey.of("pull-through.refresh-interval", "24h");

    static final ConfigSection<PullThroughConfig> SECTION = new ConfigSection<>("pull-through",
            List.of(REFRESH_INTERVAL), v -> new PullThroughConfig(v.duration(REFRESH_INTERVAL)));
}
