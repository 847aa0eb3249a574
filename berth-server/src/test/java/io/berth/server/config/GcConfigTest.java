package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(GcConfig.SECTION, new GcConfig(Duration.ofHours(1), Duration.ofHours(24)));
    }

    @Test
    void everyKey() {
        assertFullMapping(GcConfig.SECTION, Map.of("gc.interval", "30m", "gc.grace", "2d"),
                new GcConfig(Duration.ofMinutes(30), Duration.ofDays(2)));
        assertEnvironment(GcConfig.SECTION, Map.of("gc.interval", "BERTH_GC_INTERVAL", "gc.grace", "BERTH_GC_GRACE"));
    }

    @Test
    void badValue_namesTheKeyTheValueAndWhatIsAllowed() {
        assertThat(problems(GcConfig.SECTION, Map.of("gc.grace", "soon", "gc.interval", "PT-1H")))
                .containsExactlyInAnyOrder("gc.grace: not a duration (use e.g. 30s, 15m, 1h, 7d): soon",
                        "gc.interval must not be negative, got 'PT-1H'");
    }
}
