package io.berth.server.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code events.*}: the event stream's retention. Every {@code pruneInterval} (zero: never), events older than
 * {@code retention} (zero: kept forever) that every subscriber has acknowledged are deleted; an event some
 * subscriber has not acknowledged is kept however old, so no subscriber ever misses one.
 */
public record EventsConfig(Duration retention, Duration pruneInterval) {
    /** Acknowledged events older than this are pruned; {@code 0} keeps all. */
    public static final ConfigKey RETENTION = ConfigKey.of("events.retention", "7d");
    /** How often the background prune runs. */
    public static final ConfigKey PRUNE_INTERVAL = ConfigKey.of("events.prune-interval", "1h");

    static final ConfigSection<EventsConfig> SECTION = new ConfigSection<>("events",
            List.of(RETENTION, PRUNE_INTERVAL), v -> new EventsConfig(v.duration(RETENTION),
            v.duration(PRUNE_INTERVAL)));
}
