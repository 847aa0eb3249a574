package io.berth.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retry schedule: doubling from the first wait, capped, and by default longer than an hour in all. */
class WebhookBackoffTest {
    private static WebhookDispatcher dispatcher(int maxAttempts, Duration first) {
        return new WebhookDispatcher(null, Clock.systemUTC(), new WebhookSender(new ReceiverGuard(false, Set::of),
                Clock.systemUTC()), new WebhookDispatcher.Settings(maxAttempts, first, Duration.ofMinutes(10), 1, null), null);
    }

    @Test
    void doublesUpToTheCap() {
        try (WebhookDispatcher d = dispatcher(18, Duration.ofSeconds(1))) {
            assertThat(d.backoff(1)).isEqualTo(Duration.ofSeconds(1));
            assertThat(d.backoff(2)).isEqualTo(Duration.ofSeconds(2));
            assertThat(d.backoff(10)).isEqualTo(Duration.ofSeconds(512));
            assertThat(d.backoff(11)).isEqualTo(Duration.ofMinutes(10));
            assertThat(d.backoff(64)).as("no overflow").isEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void theDefaults_keepTryingForMoreThanAnHour_beforeTheDeadLetter() {
        try (WebhookDispatcher d = dispatcher(18, Duration.ofSeconds(1))) {
            Duration total = Duration.ZERO;
            for (int failed = 1; failed < 18; failed++) {
                total = total.plus(d.backoff(failed));
            }
            assertThat(total).as("waits between the 18 attempts").isGreaterThan(Duration.ofHours(1));
        }
    }
}
