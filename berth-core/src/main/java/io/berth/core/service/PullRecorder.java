package io.berth.core.service;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records pulls for ECR's {@code lastRecordedPullTime} without slowing the manifest GET: the pull path does one map
 * lookup, and at most once per image per {@link #INTERVAL} a write is queued to a single background thread. ECR
 * itself only promises "at least once every 24 hours", so dropping writes under overload (full queue) is fine.
 */
final class PullRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(PullRecorder.class);
    static final Duration INTERVAL = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 100_000;

    private record Key(long repositoryId, Digest digest) {}

    private final MetadataStore metadata;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Long> lastRecorded = new ConcurrentHashMap<>();
    private final ExecutorService writer;
    private final PullExclusions exclusions;

    PullRecorder(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.exclusions = new PullExclusions(metadata, clock);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "berth-pull-recorder");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.writer = pool;
    }

    PullExclusions exclusions() { return exclusions; }

    /**
     * A pull of {@code digest} by {@code principalArn} (null when anonymous or unknown). An excluded principal's
     * pull is not recorded, and does not count towards the interval either.
     */
    void pulled(RegistryId registryId, long repositoryId, Digest digest, String principalArn) {
        if (exclusions.excluded(registryId, principalArn)) {
            return;
        }
        long now = clock.millis();
        Key key = new Key(repositoryId, digest);
        Long last = lastRecorded.get(key);
        if (last != null && now - last < INTERVAL.toMillis()) {
            return;
        }
        if (lastRecorded.size() >= MAX_ENTRIES) {
            lastRecorded.clear(); // bounded; costs at most one extra write per image
        }
        lastRecorded.put(key, now);
        try {
            writer.execute(() -> write(key, now));
        } catch (RejectedExecutionException e) {
            LOG.debug("pull time of {} not recorded: {}", digest, e.toString());
        }
    }

    private void write(Key key, long when) {
        try {
            metadata.write(tx -> {
                tx.manifests().recordPull(key.repositoryId(), key.digest(), java.time.Instant.ofEpochMilli(when));
                return null;
            });
        } catch (RuntimeException e) {
            // Not worth failing anything over; the next pull after the interval tries again.
            lastRecorded.remove(key);
            LOG.warn("could not record pull time of {}: {}", key.digest(), e.toString());
        }
    }
}
