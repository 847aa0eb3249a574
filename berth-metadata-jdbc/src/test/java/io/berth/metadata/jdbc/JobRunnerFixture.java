package io.berth.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.job.JobContext;
import io.berth.core.job.JobHandler;
import io.berth.core.job.JobRunner;
import io.berth.core.job.JobSchedule;
import io.berth.core.job.RunnerOptions;
import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real database and runners over it, closed after each test: what the runner's tests and the event-trigger tests
 * share. Short leases and polls so each test takes well under a second or two.
 */
abstract class JobRunnerFixture {
    /** Renewed every 250 ms, so a control thread delayed by up to half a second on a loaded machine keeps it. */
    static final Duration LEASE = Duration.ofMillis(750);
    static final Duration BACKOFF = Duration.ofMillis(100);

    protected MetadataStore store;
    protected final List<JobRunner> runners = new ArrayList<>();

    protected abstract MetadataStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeAll() {
        runners.forEach(JobRunner::close);
        store.close();
    }

    protected JobRunner runner(MetadataStore over, String node, int threads, List<JobHandler> handlers,
                               List<JobSchedule> schedules) {
        return runner(over, node, threads, handlers, schedules, false);
    }

    protected JobRunner runner(MetadataStore over, String node, int threads, List<JobHandler> handlers,
                               List<JobSchedule> schedules, boolean singleNode) {
        JobRunner r = new JobRunner(over, Clock.systemUTC(), new RunnerOptions(node, threads, Duration.ofMillis(20),
                LEASE, BACKOFF, Duration.ofSeconds(1), singleNode), handlers, schedules);
        runners.add(r);
        r.start();
        return r;
    }

    protected JobRunner runner(String node, JobHandler... handlers) {
        return runner(store, node, 2, List.of(handlers), List.of());
    }

    interface Body {
        void run(JobContext context) throws Exception;
    }

    static JobHandler handler(String kind, Body body) {
        return new JobHandler() {
            @Override public String kind() { return kind; }
            @Override public void run(JobContext context) throws Exception { body.run(context); }
        };
    }

    protected JobRecord job(long id) {
        return store.read((MetadataStore.Tx tx) -> tx.jobs().get(id)).orElseThrow();
    }

    protected JobRecord awaitState(long id, JobState state, Duration within) throws InterruptedException {
        await(() -> job(id).state() == state, within, "job " + id + " to become " + state);
        return job(id);
    }

    static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", within, what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
