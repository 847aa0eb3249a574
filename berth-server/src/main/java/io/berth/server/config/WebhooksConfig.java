package io.berth.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code webhooks.*}: how events are delivered. A failed delivery is retried after {@code retryBackoff}, doubling up
 * to ten minutes, until {@code maxAttempts}; then it is dead-lettered. The default 18 attempts wait about 87 minutes
 * in all, so a receiver that is down for an hour gets everything once it is back. {@code eventsFile} appends every
 * event as one JSON line (for log shippers).
 */
public record WebhooksConfig(boolean allowPrivate, int maxAttempts, Duration retryBackoff, Path eventsFile) {
    /** Allow receivers on loopback, link-local and this host's own addresses (SSRF guard off for them). */
    public static final ConfigKey ALLOW_PRIVATE = ConfigKey.of("webhooks.allow-private", "false");
    public static final ConfigKey MAX_ATTEMPTS = ConfigKey.of("webhooks.max-attempts", "18");
    public static final ConfigKey RETRY_BACKOFF = ConfigKey.of("webhooks.retry-backoff", "1s");
    /** A JSON-lines file every event is appended to; empty for none. */
    public static final ConfigKey EVENTS_FILE = ConfigKey.withoutDefault("webhooks.events-file");

    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    static final ConfigSection<WebhooksConfig> SECTION = new ConfigSection<>("webhooks",
            List.of(ALLOW_PRIVATE, MAX_ATTEMPTS, RETRY_BACKOFF, EVENTS_FILE), v -> new WebhooksConfig(
            v.bool(ALLOW_PRIVATE), (int) Math.min(v.number(MAX_ATTEMPTS, 1), 1000),
            v.durationAtLeast(RETRY_BACKOFF, Duration.ofMillis(10)),
            v.nonBlank(EVENTS_FILE).map(Path::of).orElse(null)));
}
