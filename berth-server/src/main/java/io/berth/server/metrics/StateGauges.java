package io.berth.server.metrics;

import io.berth.core.spi.meta.JobRecord;
import io.berth.core.spi.meta.JobState;
import io.berth.core.spi.meta.JobStore;
import io.berth.core.spi.meta.MetadataStore;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges that need the database (unfinished jobs by kind and state, the scan queue, open upload sessions), sampled
 * by one background thread every {@link #PERIOD} and held in atomics. A scrape reads the last sample and never
 * queries the database, so a burst of scrapes cannot load it or wait on its locks. Counts stop at {@link #CAP}.
 */
public final class StateGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateGauges.class);
    static final Duration PERIOD = Duration.ofSeconds(15);
    /** The most rows one sample reads per state: a gauge beyond this reads as this. */
    static final int CAP = 10_000;
    private static final List<JobState> UNFINISHED = List.of(JobState.QUEUED, JobState.RUNNING);

    private final MetadataStore metadata;
    private final BerthMetrics metrics;
    private final Clock clock;
    private final Map<String, AtomicLong> jobs = new ConcurrentHashMap<>();
    private final AtomicLong uploads = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-metrics-sampler");
        t.setDaemon(true);
        return t;
    });

    public StateGauges(MetadataStore metadata, BerthMetrics metrics, Clock clock) {
        this.metadata = metadata;
        this.metrics = metrics;
        this.clock = clock;
        Gauge.builder("berth.uploads.open", uploads, AtomicLong::get)
                .description("Blob upload sessions started and not yet completed, cancelled or collected")
                .register(metrics.registry());
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.debug("metrics sample failed: {}", e.toString());
        }
    }

    /** One sample (the tests call it to avoid waiting a period). */
    public void sample() {
        Map<String, Long> counts = new HashMap<>();
        metadata.read(tx -> {
            for (JobState state : UNFINISHED) {
                for (JobRecord job : tx.jobs().list(new JobStore.Query(state, null, CAP))) {
                    counts.merge(job.kind() + '|' + state.name().toLowerCase(), 1L, Long::sum);
                }
            }
            uploads.set(tx.uploads().startedBefore(clock.instant().plus(Duration.ofDays(1)), CAP).size());
            return null;
        });
        jobs.forEach((key, value) -> value.set(counts.getOrDefault(key, 0L)));
        counts.forEach((key, n) -> jobs.computeIfAbsent(key, this::register).set(n));
    }

    /** Kinds are the job handlers' own names, so this label set is fixed by the code. */
    private AtomicLong register(String key) {
        AtomicLong value = new AtomicLong();
        int bar = key.indexOf('|');
        Gauge.builder("berth.jobs", value, AtomicLong::get).description("Unfinished jobs by kind and state")
                .tags("kind", key.substring(0, bar), "state", key.substring(bar + 1)).register(metrics.registry());
        return value;
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
