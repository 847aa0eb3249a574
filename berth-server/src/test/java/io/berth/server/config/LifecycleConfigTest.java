package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code lifecycle.*} and {@code testing.*}: ECR's 24 h by default, seconds for tests; backdating off. */
class LifecycleConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(LifecycleConfig.SECTION, new LifecycleConfig(Duration.ofHours(24)));
        assertRecordedDefaults(TestingConfig.SECTION, new TestingConfig(false));
    }

    @Test
    void everyKey() {
        assertFullMapping(LifecycleConfig.SECTION, Map.of("lifecycle.interval", "5s"),
                new LifecycleConfig(Duration.ofSeconds(5)));
        assertEnvironment(LifecycleConfig.SECTION, Map.of("lifecycle.interval", "BERTH_LIFECYCLE_INTERVAL"));
        assertFullMapping(TestingConfig.SECTION, Map.of("testing.allow-backdating", "true"), new TestingConfig(true));
        assertEnvironment(TestingConfig.SECTION, Map.of("testing.allow-backdating",
                "BERTH_TESTING_ALLOW_BACKDATING"));
    }

    @Test
    void badValues_nameTheKey() {
        assertThat(problems(LifecycleConfig.SECTION, Map.of("lifecycle.interval", "daily")))
                .containsExactly("lifecycle.interval: not a duration (use e.g. 30s, 15m, 1h, 7d): daily");
        assertThat(problems(TestingConfig.SECTION, Map.of("testing.allow-backdating", "yes")))
                .containsExactly("testing.allow-backdating must be true or false, got 'yes'");
    }
}
