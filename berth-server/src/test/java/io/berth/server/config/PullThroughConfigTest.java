package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pull-through.*}: ECR's 24 h refresh by default, seconds for tests, zero for every pull. */
class PullThroughConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(PullThroughConfig.SECTION, new PullThroughConfig(Duration.ofHours(24)));
    }

    @Test
    void everyKey() {
        assertFullMapping(PullThroughConfig.SECTION, Map.of("pull-through.refresh-interval", "2s"),
                new PullThroughConfig(Duration.ofSeconds(2)));
        assertEnvironment(PullThroughConfig.SECTION, Map.of("pull-through.refresh-interval",
                "BERTH_PULL_THROUGH_REFRESH_INTERVAL"));
    }

    @Test
    void badValues_nameTheKey() {
        assertThat(problems(PullThroughConfig.SECTION, Map.of("pull-through.refresh-interval", "daily")))
                .containsExactly("pull-through.refresh-interval: not a duration (use e.g. 30s, 15m, 1h, 7d): daily");
    }
}
