package io.berth.core.audit;

import io.berth.core.spi.meta.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of a running server: {@link #record} puts the event on a bounded queue and returns; one background
 * thread takes up to {@code maxBatch} events, or what arrived within {@code maxDelay} of the first, and writes them
 * to every sink as one batch (one database transaction). When the queue is full the event is dropped rather than
 * making a request wait: drops are counted and a WARN is logged at most once a minute.
 *
 * <p>{@link #close} stops accepting, drains the queue and writes the rest, so a graceful shutdown loses nothing.
 * A {@code kill -9} loses what was queued: at most {@code maxDelay} (200 ms by default) of events. Admin changes
 * use {@link #recordDurably}, which writes before it returns.
 */
public final class AsyncAuditLog implements AuditLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncAuditLog.class);
    public static final int DEFAULT_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_BATCH = 500;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(200);
    private static final long WARN_EVERY_MS = 60_000;
    private static final long CLOSE_WAIT_MS = 30_000;

    private final List<AuditSink> sinks;
    private final BlockingQueue<AuditEvent> queue;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final Clock clock;
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final AtomicLong lastDropWarning = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean closing;

    public AsyncAuditLog(List<AuditSink> sinks) {
        this(sinks, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY, Clock.systemUTC());
    }

    public AsyncAuditLog(List<AuditSink> sinks, int capacity, int maxBatch, Duration maxDelay, Clock clock) {
        this.sinks = List.copyOf(sinks);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.clock = clock;
        this.writer = new Thread(this::run, "berth-audit-writer");
        writer.setDaemon(true); // close() drains; a daemon never holds the JVM open after a failed shutdown
        writer.start();
    }

    @Override
    public void record(AuditEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.increment();
            long now = clock.millis();
            long last = lastDropWarning.get();
            if (now - last >= WARN_EVERY_MS && lastDropWarning.compareAndSet(last, now)) {
                LOG.warn("audit queue full or closed: {} audit events dropped since start (queue capacity {})",
                        dropped.sum(), queue.remainingCapacity() + queue.size());
            }
        }
    }

    @Override
    public void recordDurably(AuditEvent event) {
        write(List.of(event), true);
    }

    /** Events dropped because the queue was full (or the log closed). */
    public long dropped() { return dropped.sum(); }

    /** Events a sink failed to store (logged at ERROR). */
    public long failed() { return failed.sum(); }

    /** Events handed to the sinks in batches. */
    public long written() { return written.sum(); }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    queue.drainTo(batch, maxBatch - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= maxBatch || left <= 0 || closing) {
                        break;
                    }
                    AuditEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch, false);
            } catch (InterruptedException e) {
                // only close() interrupts, after its wait ran out: what is still queued is lost, and said so
                LOG.error("audit writer interrupted with {} events unwritten", queue.size() + batch.size());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("audit writer failed; {} events lost", batch.size(), e);
                failed.add(batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<AuditEvent> batch, boolean propagate) {
        for (AuditSink sink : sinks) {
            try {
                sink.write(batch);
            } catch (RuntimeException e) {
                if (propagate) {
                    throw e;
                }
                failed.add(batch.size());
                LOG.error("audit sink {} failed to store {} events", sink, batch.size(), e);
            }
        }
        written.add(batch.size());
    }

    /** Stops accepting events, writes everything queued, and waits for that (up to 30 s). */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(CLOSE_WAIT_MS);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while draining the audit queue; {} events may be lost", queue.size());
        }
    }
}
