package io.berth.server.throttling;

/**
 * A token bucket: {@code rate} tokens a second, holding at most {@code capacity}. Refilled lazily from
 * {@link System#nanoTime} on each take, so an idle bucket costs nothing. Synchronized: a take is a few arithmetic
 * operations, far shorter than any contention it could cause.
 */
final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /**
     * The nanoseconds until a token is there (0: one is), taking none: what a caller not yet authenticated may
     * learn, since it cannot spend the bucket.
     */
    synchronized long peek(long nowNanos) {
        double now = Math.min(capacity, tokens + (nowNanos - last) * ratePerNano);
        return now >= 1 ? 0 : (long) Math.ceil((1 - now) / ratePerNano);
    }

    /** Takes a token: 0 when there was one, else the nanoseconds until there will be. */
    synchronized long take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
