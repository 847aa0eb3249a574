package io.berth.server.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code gc.*}: garbage collection.
 *
 * @param interval how often {@code serve} runs a pass in the background; zero: never
 * @param grace unreferenced blobs and abandoned uploads younger than this are kept (a push may still reference them)
 */
public record GcConfig(Duration interval, Duration grace) {
    public static final ConfigKey INTERVAL = ConfigKey.of("gc.interval", "1h");
    public static final ConfigKey GRACE = ConfigKey.of("gc.grace", "24h");

    static final ConfigSection<GcConfig> SECTION = new ConfigSection<>("gc", List.of(INTERVAL, GRACE),
            v -> new GcConfig(v.duration(INTERVAL), v.duration(GRACE)));
}
