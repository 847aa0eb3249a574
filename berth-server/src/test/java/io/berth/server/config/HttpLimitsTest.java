package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {
    @Test
    void defaults() {
        assertRecordedDefaults(HttpLimits.SECTION, new HttpLimits(Duration.ofSeconds(30), 4096,
                Duration.ofSeconds(10), 128));
        assertRecordedDefaults(HttpLimits.SECTION, HttpLimits.DEFAULT);
    }

    @Test
    void everyKey() {
        assertFullMapping(HttpLimits.SECTION, Map.of("http.idle-timeout", "5s", "http.min-request-rate", "0",
                "http.min-request-rate-grace", "2s", "http.max-active-requests", "10"),
                new HttpLimits(Duration.ofSeconds(5), 0, Duration.ofSeconds(2), 10));
        assertEnvironment(HttpLimits.SECTION, Map.of("http.idle-timeout", "BERTH_HTTP_IDLE_TIMEOUT",
                "http.min-request-rate", "BERTH_HTTP_MIN_REQUEST_RATE",
                "http.min-request-rate-grace", "BERTH_HTTP_MIN_REQUEST_RATE_GRACE",
                "http.max-active-requests", "BERTH_HTTP_MAX_ACTIVE_REQUESTS"));
    }

    @Test
    void badValues_eachNamed() {
        assertThat(problems(HttpLimits.SECTION, Map.of("http.idle-timeout", "0", "http.min-request-rate", "fast",
                "http.max-active-requests", "500")))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("http.idle-timeout must be positive, got '0'"))
                .anySatisfy(p -> assertThat(p).isEqualTo("http.min-request-rate must be a whole number, got 'fast'"))
                .anySatisfy(p -> assertThat(p).startsWith("http.max-active-requests must be at most 168, got 500"));
    }
}
