package io.berth.server.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed console sign-ins per remote address: after {@link #MAX_FAILURES} failures in a {@link #WINDOW},
 * the address is refused (before any key is looked up) until the window ends, so guessing secrets costs a window per
 * handful of tries. A success does not reset the count: a guesser holding one valid key gains nothing.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private record Window(Instant start, int failures) {}

    private final Map<String, Window> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds until {@code address} may try again; 0 when it may now. */
    long retryAfterSeconds(String address) {
        Window w = byAddress.get(key(address));
        Instant now = clock.instant();
        if (w == null || w.failures < MAX_FAILURES || !now.isBefore(w.start.plus(WINDOW))) {
            return 0;
        }
        return Math.max(1, Duration.between(now, w.start.plus(WINDOW)).toSeconds());
    }

    void failed(String address) {
        Instant now = clock.instant();
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.values().removeIf(w -> !now.isBefore(w.start.plus(WINDOW)));
        }
        byAddress.compute(key(address), (k, w) -> w == null || !now.isBefore(w.start.plus(WINDOW))
                ? new Window(now, 1) : new Window(w.start, w.failures + 1));
    }

    private static String key(String address) { return address == null ? "" : address; }
}
