package io.berth.core.job;

import io.berth.core.job.EventTrigger.TriggeredJob;
import io.berth.core.spi.meta.JobStore.NewJob;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into jobs, exactly once per event and trigger, on any number of nodes.
 *
 * <p>For each trigger, a batch of events after the trigger's position is read and the jobs they start decided; then
 * one transaction enqueues those jobs and moves the position past the batch with a compare-and-set
 * ({@code EventStore.advance}) from the position the batch was read at. The jobs and the new position commit
 * together: a crash before the commit leaves both undone and the batch is read again, and a node that lost the race
 * to another rolls its enqueues back. The job runner then runs the jobs with its usual leases and
 * retries, so a triggered job is as durable as a scheduled one.
 */
public final class EventTriggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventTriggers.class);
    static final int BATCH = 200;

    private final MetadataStore store;
    private final Clock clock;
    private final JobRunner runner;
    private final List<EventTrigger> triggers;
    private final Duration poll;
    private final ScheduledExecutorService loop;

    public EventTriggers(MetadataStore store, Clock clock, JobRunner runner, List<EventTrigger> triggers,
                         Duration poll) {
        this.store = store;
        this.clock = clock;
        this.runner = runner;
        this.triggers = List.copyOf(triggers);
        this.poll = poll;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-event-triggers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers each trigger's subscriber at the stream's head the first time (a new trigger does not act on history)
     * and starts polling.
     */
    public void start() {
        if (triggers.isEmpty()) {
            return;
        }
        for (EventTrigger t : triggers) {
            store.write(tx -> tx.events().subscribe(t.subscriber(), false));
        }
        loop.scheduleWithFixedDelay(this::pollAll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollAll() {
        for (EventTrigger t : triggers) {
            try {
                while (dispatch(t) == BATCH) {
                    // a full batch: more may wait
                }
            } catch (RuntimeException e) {
                LOG.warn("event trigger {} failed; trying again in {} ms", t.subscriber(), poll.toMillis(), e);
            }
        }
    }

    /** One batch for one trigger; returns how many events it consumed (0 when none waited or another node won). */
    public int dispatch(EventTrigger trigger) {
        // Read and decide outside the write: a trigger may read the store to decide (scan on push reads the
        // scanning configuration), and on SQLite a write transaction holds the one writer lock pushes need.
        record Batch(long from, List<RegistryEvent> events) {}
        Batch batch = store.read(tx -> new Batch(tx.events().position(trigger.subscriber()),
                tx.events().read(trigger.subscriber(), BATCH)));
        if (batch.events().isEmpty()) {
            return 0;
        }
        List<TriggeredJob> jobs = new java.util.ArrayList<>();
        for (RegistryEvent e : batch.events()) {
            jobs.addAll(trigger.jobsFor(e));
        }
        long to = batch.events().get(batch.events().size() - 1).position();
        Instant now = clock.instant();
        int enqueued;
        try {
            enqueued = store.write(tx -> {
                int n = 0;
                for (TriggeredJob j : jobs) {
                    if (tx.jobs().enqueue(new NewJob(j.kind(), j.target(), j.uniqueKey(), j.maxAttempts(), now), now)
                            .isPresent()) {
                        n++;
                    }
                }
                // the compare-and-set: another node that handled these events first makes this roll back
                if (!tx.events().advance(trigger.subscriber(), batch.from(), to)) {
                    throw new LostRace();
                }
                return n;
            });
        } catch (LostRace e) {
            return 0;
        }
        if (enqueued > 0) {
            runner.wake();
        }
        return batch.events().size();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rolls the batch back: another node moved the position first and its jobs stand. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("another node handled these events", null, false, false);
        }
    }
}
