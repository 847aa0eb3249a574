package io.berth.server.http.aws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte semaphore over the request bodies of the AWS API plane ({@code POST /}: ECR and STS) in memory at once,
 * with what parsing them costs on top. A request reserves before it reads and releases when done; when the budget is
 * spent it is refused at once (ThrottlingException, which the SDKs retry with backoff) instead of waiting with a
 * thread held, so concurrent large bodies cannot exhaust the heap.
 */
public final class BodyBudget {
    /** System property to size the budget in bytes (an operator's tuning knob, and the tests' way to shrink it). */
    public static final String PROPERTY = "berth.api.body-budget-bytes";
    private static final long GIB = 1L << 30;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("body budget must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The budget from {@link #PROPERTY}, else a quarter of the maximum heap (at most 1 GiB), but never less than
     * {@code largestRequest}: a budget below what one maximal valid request needs would refuse that request forever.
     */
    public static BodyBudget fromEnvironment(long largestRequest) {
        Long configured = Long.getLong(PROPERTY);
        if (configured != null) {
            return new BodyBudget(configured);
        }
        return new BodyBudget(Math.max(largestRequest, Math.min(GIB, Runtime.getRuntime().maxMemory() / 4)));
    }

    /** Takes {@code bytes} if they are free; false (nothing taken) when that would pass the capacity. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (bytes > capacity - now) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long capacity() { return capacity; }

    /** Bytes reserved right now (0 when no API request is reading or holding a body). */
    public long inUse() { return used.get(); }
}
