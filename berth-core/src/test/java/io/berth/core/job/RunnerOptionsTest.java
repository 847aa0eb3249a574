package io.berth.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {
    private final RunnerOptions options = new RunnerOptions("n", 1, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofMinutes(5), false);

    @Test
    void backoff_doublesFromTheBase_upToTheMaximum() {
        assertThat(options.backoff(1)).as("after attempt 1").isEqualTo(Duration.ofSeconds(10));
        assertThat(options.backoff(2)).as("after attempt 2").isEqualTo(Duration.ofSeconds(20));
        assertThat(options.backoff(4)).as("after attempt 4").isEqualTo(Duration.ofSeconds(80));
        assertThat(options.backoff(6)).as("after attempt 6 (320 s, over the 300 s cap)")
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(options.backoff(1_000)).as("after attempt 1000 (no overflow)").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void schedule_jittersByATenth_atMostAMinute_andIsKeyedByKindAndTarget() {
        assertThat(JobSchedule.every("gc", Duration.ofSeconds(10), 3).jitter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(JobSchedule.every("gc", Duration.ofHours(24), 3).jitter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(JobSchedule.every("gc", Duration.ofHours(1), 3).uniqueKey()).isEqualTo("schedule:gc");
        assertThat(new JobSchedule("lifecycle", "repo-a", Duration.ofHours(1), Duration.ZERO, 1).uniqueKey())
                .isEqualTo("schedule:lifecycle:repo-a");
        assertThatThrownBy(() -> JobSchedule.every("gc", Duration.ZERO, 3))
                .as("a schedule with interval 0").isInstanceOf(IllegalArgumentException.class);
    }
}
