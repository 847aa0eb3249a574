package io.berth.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.spi.meta.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncAuditLogTest {

    private static AuditEvent event(int i) {
        return new AuditEvent(Instant.EPOCH.plusSeconds(i), "E" + i, AuditEvent.SOURCE_ECR,
                AuditEvent.UserIdentity.ANONYMOUS, null, null, null, null, null, null, "r" + i, null, null);
    }

    /** Remembers batches; can be held shut to let the queue fill. */
    private static final class RecordingSink implements AuditSink {
        final List<List<AuditEvent>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch open;

        RecordingSink(boolean blocked) {
            open = new CountDownLatch(blocked ? 1 : 0);
        }

        @Override
        public void write(List<AuditEvent> batch) {
            try {
                open.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            batches.add(List.copyOf(batch));
        }

        int events() {
            synchronized (batches) {
                return batches.stream().mapToInt(List::size).sum();
            }
        }
    }

    @Test
    void record_batchesUpToMaxBatch_inOrder() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        try (AsyncAuditLog log = new AsyncAuditLog(List.of(sink), 100, 10, Duration.ofMillis(50),
                Clock.systemUTC())) {
            log.record(event(0)); // taken by the writer, which then blocks in the sink
            Thread.sleep(100);
            for (int i = 1; i <= 25; i++) {
                log.record(event(i));
            }
            sink.open.countDown();
        }
        assertThat(sink.events()).isEqualTo(26);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b.size()).isLessThanOrEqualTo(10));
        assertThat(sink.batches.size()).as("26 events in batches of at most 10").isBetween(3, 5);
        List<String> names = new ArrayList<>();
        sink.batches.forEach(b -> b.forEach(e -> names.add(e.eventName())));
        assertThat(names).startsWith("E0", "E1", "E2").endsWith("E25");
    }

    @Test
    void close_drainsEverythingQueued() {
        RecordingSink sink = new RecordingSink(false);
        AsyncAuditLog log = new AsyncAuditLog(List.of(sink), 10_000, 500, Duration.ofSeconds(5), Clock.systemUTC());
        for (int i = 0; i < 1234; i++) {
            log.record(event(i));
        }
        log.close();
        assertThat(sink.events()).isEqualTo(1234);
        assertThat(log.written()).isEqualTo(1234);
        assertThat(log.dropped()).isZero();
    }

    @Test
    void record_queueFull_dropsAndCountsWithoutBlocking() throws Exception {
        RecordingSink sink = new RecordingSink(true);
        AsyncAuditLog log = new AsyncAuditLog(List.of(sink), 5, 500, Duration.ofMillis(1), Clock.systemUTC());
        log.record(event(0));
        Thread.sleep(100); // the writer holds event 0 in the blocked sink
        long start = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            log.record(event(i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("never blocks").isLessThan(Duration.ofSeconds(1));
        assertThat(log.dropped()).isEqualTo(15);
        sink.open.countDown();
        log.close();
        assertThat(sink.events()).isEqualTo(6);
        log.record(event(99));
        assertThat(log.dropped()).as("after close").isEqualTo(16);
    }

    @Test
    void sinkFailure_countedAndOtherSinksStillWritten_durableWritePropagates() {
        RecordingSink good = new RecordingSink(false);
        AuditSink broken = batch -> {
            throw new IllegalStateException("disk full");
        };
        AsyncAuditLog log = new AsyncAuditLog(List.of(broken, good), 100, 10, Duration.ofMillis(1),
                Clock.systemUTC());
        log.record(event(1));
        log.close();
        assertThat(good.events()).isEqualTo(1);
        assertThat(log.failed()).isEqualTo(1);
        assertThatThrownBy(() -> log.recordDurably(event(2))).hasMessage("disk full");
    }
}
