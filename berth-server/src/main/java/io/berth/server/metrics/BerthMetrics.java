package io.berth.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.berth.core.replication.ReplicationLag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One registry per running Berth (tests boot several in one JVM), with the meters every subsystem records into.
 * Meters are looked up once per label set and cached, so the request path pays a map lookup, not a registration.
 * Recording is lock-free (Micrometer's atomic counters and histogram buckets), and a scrape reads those atomics:
 * a scrape never holds anything a request waits for.
 */
public final class BerthMetrics implements AutoCloseable {
    /** Histogram buckets for request latency: a manifest HEAD takes a millisecond, a layer upload minutes. */
    private static final Duration[] REQUEST_BUCKETS = buckets(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000, 120_000);
    /** Store calls are shorter: a row read is sub-millisecond, an S3 PUT of a part a few seconds. */
    private static final Duration[] STORE_BUCKETS = buckets(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 5_000);
    /** Replication: a local region copies in well under a second, a peer over a WAN in seconds to minutes. */
    private static final Duration[] LAG_BUCKETS = buckets(100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000, 300_000, 900_000, 3_600_000);
    private static final Duration[] JOB_BUCKETS = buckets(10, 100, 1_000, 10_000, 60_000, 600_000, 3_600_000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> bytesByApi = new ConcurrentHashMap<>();
    private final Map<String, Timer> storeTimers = new ConcurrentHashMap<>();
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics jvmGc = new JvmGcMetrics();
    private final Counter gcRuns;
    private final Counter gcBytesFreed;
    private final Counter gcBlobsRemoved;
    /** Push-to-replicated time by destination kind (ReplicationLag's three), registered up front. */
    private final Map<String, Timer> replicationLag = new ConcurrentHashMap<>();

    private record RequestKey(String api, String operation, int status) {}

    public BerthMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        jvmGc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gcRuns = Counter.builder("berth.gc.runs").description("Garbage-collection passes completed")
                .register(registry);
        gcBytesFreed = Counter.builder("berth.gc.freed").baseUnit("bytes")
                .description("Bytes of blobs and upload sessions garbage collection removed").register(registry);
        gcBlobsRemoved = Counter.builder("berth.gc.blobs.removed").description("Blobs garbage collection removed")
                .register(registry);
        for (String kind : List.of(ReplicationLag.REGION, ReplicationLag.ACCOUNT, ReplicationLag.PEER)) {
            replicationLag.put(kind, Timer.builder("berth.replication.lag").tag("destination", kind)
                    .description("Time from an image's push to its replica being complete, by destination kind")
                    .serviceLevelObjectives(LAG_BUCKETS).register(registry));
        }
    }

    public MeterRegistry registry() { return registry; }

    /** The Prometheus text exposition of every meter. */
    public String scrape() { return registry.scrape(); }

    /** One finished request. */
    public void request(String api, String operation, int status, long nanos, long bytesIn, long bytesOut) {
        requests.computeIfAbsent(new RequestKey(api, operation, status), k -> Timer.builder("berth.requests")
                .description("HTTP requests by API plane, operation and status")
                .tags("api", k.api(), "operation", k.operation(), "status", Integer.toString(k.status()))
                .serviceLevelObjectives(REQUEST_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        Counter[] bytes = bytesByApi.computeIfAbsent(api, a -> new Counter[] {
                Counter.builder("berth.http.received").baseUnit("bytes").tag("api", a)
                        .description("Request body bytes read").register(registry),
                Counter.builder("berth.http.sent").baseUnit("bytes").tag("api", a)
                        .description("Response body bytes written").register(registry)});
        if (bytesIn > 0) {
            bytes[0].increment(bytesIn);
        }
        if (bytesOut > 0) {
            bytes[1].increment(bytesOut);
        }
    }

    /** One call into a store: {@code meter} is {@code berth.blobstore} or {@code berth.metadata}. */
    void storeCall(String meter, String operation, boolean ok, long nanos) {
        String key = meter + '|' + operation + '|' + ok;
        storeTimers.computeIfAbsent(key, k -> Timer.builder(meter)
                .description(meter.equals(TimedBlobStore.METER) ? "Blob store calls" : "Metadata transactions")
                .tags(Tags.of("operation", operation, "outcome", ok ? "ok" : "error"))
                .serviceLevelObjectives(STORE_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A background job ran (outcome {@code ok} or {@code error}): scans, GC, lifecycle, feeds. */
    void jobRun(String kind, boolean ok, long nanos) {
        storeTimers.computeIfAbsent("job|" + kind + '|' + ok, k -> Timer.builder("berth.jobs.runs")
                .description("Job runs by kind and outcome").tags("kind", kind, "outcome", ok ? "ok" : "error")
                .serviceLevelObjectives(JOB_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An image's replica became complete {@code lag} after its push ({@link ReplicationLag}). */
    public void replicated(String destinationKind, Duration lag) {
        Timer t = replicationLag.get(destinationKind);
        if (t != null && !lag.isNegative()) {
            t.record(lag);
        }
    }

    /** A garbage-collection pass finished. */
    public void gcPass(long blobsRemoved, long bytesFreed) {
        gcRuns.increment();
        gcBlobsRemoved.increment(blobsRemoved);
        gcBytesFreed.increment(bytesFreed);
    }

    /** Stops listening to the JVM (several Berths start and stop in one test JVM). */
    @Override
    public void close() {
        jvmGc.close();
        registry.close();
    }

    private static Duration[] buckets(long... millis) {
        Duration[] out = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            out[i] = Duration.ofMillis(millis[i]);
        }
        return out;
    }
}
