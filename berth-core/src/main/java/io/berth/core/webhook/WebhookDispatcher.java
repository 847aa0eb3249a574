package io.berth.core.webhook;

import io.berth.core.spi.meta.MetadataStore;
import io.berth.core.spi.meta.RegistryEvent;
import io.berth.core.spi.meta.WebhookStore;
import io.berth.core.spi.meta.WebhookStore.DeliveryRecord;
import io.berth.core.spi.meta.WebhookStore.DeliveryStatus;
import io.berth.core.spi.meta.WebhookStore.WebhookRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the event stream to the webhooks and the JSON-lines file, at least once, in stream order per sink (so in
 * order per repository).
 *
 * <p>Each sink reads the stream as its own durable subscriber; its position is the delivery cursor, moved past an
 * event only once the event was delivered, dead-lettered or filtered out, so a restart resumes where it stopped
 * and a receiver that was down gets everything after. Only a sink's oldest undelivered event is tried: it is
 * retried with exponential backoff ({@code backoff} doubling up to {@code maxBackoff}) and the events behind it
 * wait, which keeps the order; after {@code maxAttempts} it is dead-lettered (logged as DEAD) and the next one
 * goes. Deliveries run on a bounded pool, at most one task per sink, apart from request threads and the event
 * triggers: a slow receiver delays only its own sink.
 *
 * <p>On several nodes each runs its dispatcher, but a webhook is delivered only by the node holding its lease in
 * the metadata store ({@link WebhookStore#lease}): taken with a conditional write, renewed every
 * {@link #LEASE_RENEWAL} for {@link #LEASE_TTL}, released when the node stops, and taken over by another node once
 * it expires (a node that died). So each event goes out once; only a node that dies between a delivery and its
 * acknowledgement leaves a duplicate (receivers dedupe on {@code Berth-Event-Id}). The JSON-lines file is each
 * node's own and is not leased.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** The JSON-lines file's subscriber. */
    public static final String FILE_SUBSCRIBER = "events-file";
    static final int BATCH = 100;
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a node's hold on a webhook lasts without renewal: another node takes over after it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(10);
    /** How often the holder renews (and others try to take expired leases). */
    static final Duration LEASE_RENEWAL = Duration.ofSeconds(1);

    /**
     * @param file the JSON-lines file, or null for none
     */
    public record Settings(int maxAttempts, Duration backoff, Duration maxBackoff, int threads, Path file,
                           String node) {
        /** One node (tests): it holds every lease as {@code local}. */
        public Settings(int maxAttempts, Duration backoff, Duration maxBackoff, int threads, Path file) {
            this(maxAttempts, backoff, maxBackoff, threads, file, "local");
        }
    }

    /** The retry state of a sink's oldest undelivered event. */
    private record Retry(long position, int attempts, Instant next) {}

    private final MetadataStore store;
    private final Clock clock;
    private final WebhookSender sender;
    private final Settings settings;
    private final io.berth.core.secrets.SecretSealer sealer;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** The webhooks this node holds the lease of, as of the last lease round. */
    private volatile Set<String> held = Set.of();
    private volatile Instant nextLeaseRound = Instant.MIN;
    private final ScheduledExecutorService loop;
    private final ExecutorService pool;
    private volatile boolean closed;

    public WebhookDispatcher(MetadataStore store, Clock clock, WebhookSender sender, Settings settings,
                             io.berth.core.secrets.SecretSealer sealer) {
        this.sealer = sealer;
        this.store = store;
        this.clock = clock;
        this.sender = sender;
        this.settings = settings;
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("berth-webhooks"));
        this.pool = Executors.newFixedThreadPool(settings.threads(), daemon("berth-webhook-delivery"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        if (settings.file() != null) {
            // from the head when first configured, as the triggers start: the file is not a backfill
            store.write(tx -> tx.events().subscribe(FILE_SUBSCRIBER, false));
        } else {
            // a file sink configured before and now off must not hold events back from pruning for ever
            store.write(tx -> tx.events().unsubscribe(FILE_SUBSCRIBER));
        }
        loop.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            if (settings.file() != null) {
                submit(FILE_SUBSCRIBER, this::drainFile);
            }
            Instant now = clock.instant();
            List<WebhookRecord> webhooks = store.read(tx -> tx.webhooks().list());
            if (!now.isBefore(nextLeaseRound)) {
                held = leaseRound(webhooks, now);
                nextLeaseRound = now.plus(LEASE_RENEWAL);
            }
            for (WebhookRecord w : webhooks) {
                if (!held.contains(w.id())) {
                    continue; // another node delivers it
                }
                Retry r = retries.get(w.id());
                if (r == null || !r.next().isAfter(now)) {
                    submit(w.id(), () -> drain(w));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook dispatch failed; trying again in {} ms", POLL.toMillis(), e);
        }
    }

    /** Takes or renews every webhook's lease it can, in one transaction; returns those this node holds. */
    private Set<String> leaseRound(List<WebhookRecord> webhooks, Instant now) {
        if (webhooks.isEmpty()) {
            return Set.of();
        }
        Instant until = now.plus(LEASE_TTL);
        return store.write(tx -> {
            Set<String> mine = new java.util.HashSet<>();
            for (WebhookRecord w : webhooks) {
                if (tx.webhooks().lease(w.id(), settings.node(), now, until)) {
                    mine.add(w.id());
                }
            }
            return Set.copyOf(mine);
        });
    }

    private void submit(String key, Runnable task) {
        if (closed || !busy.add(key)) {
            return; // this sink's previous task still runs
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("webhook sink {} failed; trying again", key, e);
                } finally {
                    busy.remove(key);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busy.remove(key);
        }
    }

    /**
     * Delivers the webhook's waiting events in order until one fails (it is then due again after its backoff) or
     * none wait; returns how many it moved the cursor past.
     */
    public int drain(WebhookRecord w) {
        String subscriber = WebhookStore.subscriber(w.id());
        List<RegistryEvent> batch = store.read(tx -> tx.events().read(subscriber, BATCH));
        long skippedTo = 0; // filtered-out events, acknowledged with the next write
        int moved = 0;
        for (RegistryEvent e : batch) {
            if (closed) {
                break;
            }
            EventEnvelopes.Envelope env = EventEnvelopes.of(e);
            if (!EventEnvelopes.matches(env, w.events(), w.repositoryFilter())) {
                skippedTo = e.position();
                moved++;
                continue;
            }
            Retry r = retries.get(w.id());
            // after a restart the log says how many attempts this event already had
            int attempt = 1 + (r != null && r.position() == e.position() ? r.attempts()
                    : store.read(tx -> tx.webhooks().attempts(w.id(), e.position())));
            WebhookSender.Outcome o = sender.send(w.url(), Webhooks.secret(sealer, w), env, attempt);
            DeliveryStatus status = o.delivered() ? DeliveryStatus.DELIVERED
                    : attempt >= settings.maxAttempts() ? DeliveryStatus.DEAD : DeliveryStatus.FAILED;
            Instant now = clock.instant();
            long ackTo = status == DeliveryStatus.FAILED ? skippedTo : e.position();
            store.write(tx -> {
                if (tx.webhooks().get(w.id()).isEmpty()) {
                    return null; // removed while delivering
                }
                tx.webhooks().recordDelivery(new DeliveryRecord(w.id(), env.id(), e.position(), env.detailType(),
                        e.repository(), attempt, status, o.status(), o.error(), now));
                if (ackTo > 0) {
                    tx.events().ack(subscriber, ackTo);
                }
                return null;
            });
            if (status == DeliveryStatus.FAILED) {
                retries.put(w.id(), new Retry(e.position(), attempt, now.plus(backoff(attempt))));
                return moved;
            }
            if (status == DeliveryStatus.DEAD) {
                LOG.warn("webhook {}: event {} dead-lettered after {} attempts ({})", w.id(), env.id(), attempt,
                        o.error());
            }
            retries.remove(w.id());
            skippedTo = 0;
            moved++;
        }
        if (skippedTo > 0) {
            long to = skippedTo;
            store.write(tx -> {
                if (tx.webhooks().get(w.id()).isPresent()) {
                    tx.events().ack(subscriber, to);
                }
                return null;
            });
        }
        return moved;
    }

    /** The wait before attempt {@code failed + 1}: {@code backoff * 2^(failed-1)}, at most {@code maxBackoff}. */
    Duration backoff(int failed) {
        Duration d = settings.backoff().multipliedBy(1L << Math.min(failed - 1, 30));
        return d.compareTo(settings.maxBackoff()) > 0 || d.isNegative() ? settings.maxBackoff() : d;
    }

    /** Appends the waiting events to the file, one envelope a line, synced before the cursor moves. */
    private void drainFile() {
        List<RegistryEvent> batch = store.read(tx -> tx.events().read(FILE_SUBSCRIBER, BATCH));
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        batch.forEach(e -> lines.append(EventEnvelopes.of(e).json()).append('\n'));
        try (FileChannel ch = FileChannel.open(settings.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            var buf = java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        } catch (IOException e) {
            LOG.warn("cannot append events to {}; trying again", settings.file(), e);
            return;
        }
        long last = batch.get(batch.size() - 1).position();
        store.write(tx -> {
            tx.events().ack(FILE_SUBSCRIBER, last);
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        loop.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // after the last delivery ended: another node takes these webhooks at its next lease round
            store.write(tx -> {
                tx.webhooks().releaseLeases(settings.node());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not release the webhook leases of {}; they expire in {} s", settings.node(),
                    LEASE_TTL.toSeconds(), e);
        }
    }
}
