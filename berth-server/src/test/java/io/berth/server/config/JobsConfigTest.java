package io.berth.server.config;

import static io.berth.server.config.ConfigAssertions.assertEnvironment;
import static io.berth.server.config.ConfigAssertions.assertFullMapping;
import static io.berth.server.config.ConfigAssertions.assertRecordedDefaults;
import static io.berth.server.config.ConfigAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.RunnerOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsConfigTest {
    @Test
    void defaults() {
        assertRecordedDefaults(JobsConfig.SECTION, new JobsConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofHours(1)));
    }

    @Test
    void everyKey_andTheRunnerRunsWithThem() {
        JobsConfig expected = new JobsConfig(4, Duration.ofMillis(250), Duration.ofMinutes(2),
                Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertFullMapping(JobsConfig.SECTION, Map.of("jobs.threads", "4", "jobs.poll", "250ms", "jobs.lease", "2m",
                "jobs.retry-backoff", "1s", "jobs.retry-backoff-max", "5m"), expected);
        assertEnvironment(JobsConfig.SECTION, Map.of("jobs.threads", "BERTH_JOBS_THREADS", "jobs.poll",
                "BERTH_JOBS_POLL", "jobs.lease", "BERTH_JOBS_LEASE", "jobs.retry-backoff", "BERTH_JOBS_RETRY_BACKOFF",
                "jobs.retry-backoff-max", "BERTH_JOBS_RETRY_BACKOFF_MAX"));
        RunnerOptions options = expected.runnerOptions("node-a", true);
        assertThat(options.threads()).isEqualTo(4);
        assertThat(options.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.backoff(3)).as("third retry: 1 s doubled twice").isEqualTo(Duration.ofSeconds(4));
        assertThat(options.backoff(20)).as("capped").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badValues_areRefusedWithTheKeyAndTheLimit() {
        assertThat(problems(JobsConfig.SECTION, Map.of("jobs.threads", "0", "jobs.poll", "0s", "jobs.lease", "500ms")))
                .containsExactlyInAnyOrder("jobs.threads must be at least 1, got 0",
                        "jobs.poll must be at least 10ms, got '0s'", "jobs.lease must be at least 1s, got '500ms'");
    }
}
