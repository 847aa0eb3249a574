package io.berth.server.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code http.*}: what a slow or greedy client may hold.
 *
 * @param idleTimeout a connection silent this long is closed
 * @param minRequestRate bytes per second a request body must average (0: no minimum)
 * @param minRequestRateGrace how long a body may arrive slower than that before the minimum applies
 * @param maxActiveRequests data-plane requests handled at once (health probes are not counted)
 */
public record HttpLimits(Duration idleTimeout, long minRequestRate, Duration minRequestRateGrace,
                         int maxActiveRequests) {
    /** A connection with nothing to read or write for this long is closed. */
    public static final ConfigKey IDLE_TIMEOUT = ConfigKey.of("http.idle-timeout", "30s");
    /**
     * Bytes per second a request body must average, once {@link #MIN_REQUEST_RATE_GRACE} has passed. 4 KiB/s: a 56k
     * modem does 7 KiB/s, so no real network is this slow for a whole upload, while a trickling attacker must spend
     * real bandwidth on every connection it holds.
     */
    public static final ConfigKey MIN_REQUEST_RATE = ConfigKey.of("http.min-request-rate", "4096");
    /** How long a request body may arrive slower than the minimum rate (slow start, a stalled first packet). */
    public static final ConfigKey MIN_REQUEST_RATE_GRACE = ConfigKey.of("http.min-request-rate-grace", "10s");
    /** Data-plane requests handled at once; more wait without a thread, so health probes always get one. */
    public static final ConfigKey MAX_ACTIVE_REQUESTS = ConfigKey.of("http.max-active-requests", "128");

    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(30), 4096, Duration.ofSeconds(10), 128);

    /** Threads of the HTTP request pool (Jetty's default size); blocking handlers hold one per active request. */
    public static final int REQUEST_THREADS = 200;

    /** Keeps threads of the pool free for {@code /healthz}, {@code /readyz}, the selectors and the acceptor. */
    static final int MAX_ACTIVE_REQUESTS_ALLOWED = REQUEST_THREADS - 32;

    static final ConfigSection<HttpLimits> SECTION = new ConfigSection<>("http limits",
            List.of(IDLE_TIMEOUT, MIN_REQUEST_RATE, MIN_REQUEST_RATE_GRACE, MAX_ACTIVE_REQUESTS), HttpLimits::read);

    private static HttpLimits read(ConfigValues v) {
        Duration idle = v.duration(IDLE_TIMEOUT);
        if (idle.isZero()) {
            v.problem(IDLE_TIMEOUT.name() + " must be positive, got '" + v.raw(IDLE_TIMEOUT) + "': without it a "
                    + "silent client holds its connection forever");
        }
        long rate = v.number(MIN_REQUEST_RATE, 0);
        Duration grace = v.duration(MIN_REQUEST_RATE_GRACE);
        long active = v.number(MAX_ACTIVE_REQUESTS, 1);
        if (active > MAX_ACTIVE_REQUESTS_ALLOWED) {
            v.problem(MAX_ACTIVE_REQUESTS.name() + " must be at most " + MAX_ACTIVE_REQUESTS_ALLOWED + ", got "
                    + active + " (the request pool has " + REQUEST_THREADS + " threads; the rest stay free for "
                    + "health probes and Jetty itself)");
        }
        return new HttpLimits(idle, rate, grace, (int) Math.min(active, MAX_ACTIVE_REQUESTS_ALLOWED));
    }
}
