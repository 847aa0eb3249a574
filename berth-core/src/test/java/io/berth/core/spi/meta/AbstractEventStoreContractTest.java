package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.event.EventRetention;
import io.berth.core.spi.meta.EventStore.Filter;
import io.berth.core.spi.meta.RegistryEvent.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The {@link EventStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractEventStoreContractTest extends AbstractStoreContractTest {

    private static final String ACCOUNT = "111122223333";
    private static final String ARN = "arn:aws:iam::111122223333:user/alice";

    private static RegistryEvent event(Type type, String repo, int second) {
        return RegistryEvent.unsequenced(type, ACCOUNT, "eu-west-1", repo, digest(repo + second),
                List.of("v" + second, "latest"), ARN, null, "d" + second, T0.plusSeconds(second));
    }

    private List<RegistryEvent> append(RegistryEvent... events) {
        return w(tx -> tx.events().append(List.of(events)));
    }

    private boolean subscribe(String name, boolean fromStart) {
        return store.write(tx -> tx.events().subscribe(name, fromStart));
    }

    private boolean unsubscribe(String name) {
        return store.write(tx -> tx.events().unsubscribe(name));
    }

    private long position(String name) {
        return store.read(tx -> tx.events().position(name));
    }

    private List<RegistryEvent> all() {
        return r(tx -> tx.events().list(new Filter(null, null, 0, 1000)));
    }

    private static List<Long> positions(List<RegistryEvent> events) {
        return events.stream().map(RegistryEvent::position).toList();
    }

    @Test
    void append_roundTripsEveryField_withPositionsAndPerRepositorySequences() {
        List<RegistryEvent> stored = append(event(Type.IMAGE_PUSHED, "app", 1), event(Type.TAG_CHANGED, "web", 2),
                event(Type.IMAGE_DELETED, "app", 3),
                RegistryEvent.unsequenced(Type.SETTING_CHANGED, ACCOUNT, "eu-west-1", null, null, List.of(), ARN,
                        "REGISTRY_POLICY", null, T0.plusSeconds(4)));
        assertThat(positions(stored)).as("positions of four events appended to an empty stream")
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(stored).extracting(RegistryEvent::sequence).as("sequences: app 1, web 1, app 2, account-wide 1")
                .containsExactly(1L, 1L, 2L, 1L);
        assertThat(all()).as("what was read back equals what append returned").isEqualTo(stored);
        assertThat(all().get(0).tags()).containsExactly("v1", "latest");
        assertThat(all().get(3).repository()).as("an account-wide event has no repository").isNull();
    }

    @Test
    void append_rollsBackWithItsTransaction_andConsumesNoPosition() {
        append(event(Type.IMAGE_PUSHED, "app", 1));
        assertThatThrownBy(() -> w(tx -> {
            tx.events().append(List.of(event(Type.IMAGE_PUSHED, "app", 2)));
            throw new IllegalStateException("injected failure after the change");
        })).hasMessageContaining("injected");
        List<RegistryEvent> next = append(event(Type.IMAGE_PUSHED, "app", 3));
        assertThat(all()).extracting(RegistryEvent::detail).as("the rolled-back event is not in the stream")
                .containsExactly("d1", "d3");
        assertThat(next.get(0).position()).as("the next position after a rollback: no gap").isEqualTo(2L);
        assertThat(next.get(0).sequence()).as("the repository's sequence after a rollback").isEqualTo(2L);
    }

    @Test
    void sequences_continueAcrossRepositoriesOfOtherAccounts_andKeepOrderPerRepository() {
        for (int i = 0; i < 5; i++) {
            append(event(Type.IMAGE_PUSHED, "app", i), event(Type.IMAGE_PUSHED, "web", i));
        }
        append(RegistryEvent.unsequenced(Type.REPOSITORY_CREATED, "444455556666", null, "app", null, null,
                "anonymous", null, null, T0));
        List<RegistryEvent> app = r(tx -> tx.events().list(new Filter("app", null, 0, 100)));
        assertThat(app.stream().filter(e -> e.account().equals(ACCOUNT)).map(RegistryEvent::sequence).toList())
                .as("repository app of account %s: one sequence in position order", ACCOUNT)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(app.get(app.size() - 1).sequence()).as("the same name in another account counts on its own")
                .isEqualTo(1L);
    }

    @Test
    void subscriber_readsAfterItsPosition_rereadsUntilAcked_andAckNeverMovesBack() {
        append(event(Type.IMAGE_PUSHED, "app", 1), event(Type.IMAGE_PUSHED, "app", 2),
                event(Type.IMAGE_PUSHED, "app", 3));
        assertThat(subscribe("replication", true)).isTrue();
        assertThat(subscribe("replication", false)).as("subscribing twice").isFalse();
        List<RegistryEvent> first = r(tx -> tx.events().read("replication", 2));
        assertThat(positions(first)).containsExactly(1L, 2L);
        assertThat(positions(r(tx -> tx.events().read("replication", 2))))
                .as("read again without an ack (a subscriber that crashed before acking)").containsExactly(1L, 2L);
        w(tx -> {
            tx.events().ack("replication", 2);
            return null;
        });
        assertThat(positions(r(tx -> tx.events().read("replication", 10)))).as("after ack 2").containsExactly(3L);
        w(tx -> {
            tx.events().ack("replication", 1);
            return null;
        });
        assertThat(position("replication")).as("a stale ack of 1 after 2").isEqualTo(2L);
        assertThatThrownBy(() -> w(tx -> {
            tx.events().ack("replication", 99);
            return null;
        })).as("ack beyond the head (3)").isInstanceOf(EventStore.SubscriberException.class)
                .hasMessageContaining("ends at 3");
        assertThatThrownBy(() -> r(tx -> tx.events().read("nobody", 1)))
                .isInstanceOf(EventStore.SubscriberException.class).hasMessageContaining("'nobody'");
    }

    @Test
    void advance_movesOnlyFromTheExpectedPosition() {
        append(event(Type.IMAGE_PUSHED, "app", 1), event(Type.IMAGE_PUSHED, "app", 2),
                event(Type.IMAGE_PUSHED, "app", 3));
        subscribe("scan", true);
        boolean moved = w(tx -> tx.events().advance("scan", 0, 2));
        assertThat(moved).as("advance 0 -> 2").isTrue();
        boolean movedAgain = w(tx -> tx.events().advance("scan", 0, 3));
        assertThat(movedAgain).as("advance from 0 again (another node already moved it to 2)").isFalse();
        assertThat(position("scan")).isEqualTo(2L);
        assertThatThrownBy(() -> w(tx -> tx.events().advance("scan", 2, 4))).as("advance beyond the head (3)")
                .isInstanceOf(EventStore.SubscriberException.class).hasMessageContaining("ends at 3");
        boolean movedOn = w(tx -> tx.events().advance("scan", 2, 3));
        assertThat(movedOn).isTrue();
        assertThat(position("scan")).isEqualTo(3L);
    }

    @Test
    void subscribe_atTheHead_seesOnlyLaterEvents() {
        append(event(Type.IMAGE_PUSHED, "app", 1), event(Type.IMAGE_PUSHED, "app", 2));
        subscribe("webhooks", false);
        append(event(Type.IMAGE_PUSHED, "app", 3));
        assertThat(positions(r(tx -> tx.events().read("webhooks", 10)))).as("subscribed at head 2")
                .containsExactly(3L);
        assertThat(unsubscribe("webhooks")).isTrue();
        assertThat(unsubscribe("webhooks")).as("unsubscribing twice").isFalse();
    }

    @Test
    void list_filtersByRepositoryAndTime_andPagesByPosition() {
        append(event(Type.IMAGE_PUSHED, "app", 1), event(Type.IMAGE_PUSHED, "web", 2),
                event(Type.IMAGE_PUSHED, "app", 3), event(Type.IMAGE_PUSHED, "app", 4));
        assertThat(positions(r(tx -> tx.events().list(new Filter("app", null, 0, 10))))).containsExactly(1L, 3L, 4L);
        assertThat(positions(r(tx -> tx.events().list(new Filter(null, T0.plusSeconds(2), 0, 10)))))
                .as("since second 2, inclusive").containsExactly(2L, 3L, 4L);
        assertThat(positions(r(tx -> tx.events().list(new Filter("app", null, 1, 1))))).as("page after 1, size 1")
                .containsExactly(3L);
    }

    @Test
    void prune_deletesOnlyOldEventsThatEverySubscriberAcknowledged() {
        for (int i = 0; i < 5; i++) {
            append(event(Type.IMAGE_PUSHED, "app", i));
        }
        append(RegistryEvent.unsequenced(Type.IMAGE_PUSHED, ACCOUNT, null, "app", null, null, ARN, null, "new",
                T0.plus(Duration.ofDays(30))));
        subscribe("fast", true);
        subscribe("slow", true);
        w(tx -> {
            tx.events().ack("fast", 6);
            tx.events().ack("slow", 2);
            return null;
        });
        Clock now = Clock.fixed(T0.plus(Duration.ofDays(30)), ZoneOffset.UTC);
        EventRetention retention = new EventRetention(store, now);
        assertThat(retention.pruneOlderThan(Duration.ofDays(7))).as("5 old events, the slowest subscriber acked 2")
                .isEqualTo(2);
        assertThat(positions(all())).containsExactly(3L, 4L, 5L, 6L);
        unsubscribe("slow");
        assertThat(retention.pruneOlderThan(Duration.ofDays(7))).as("the slow subscriber removed").isEqualTo(3);
        assertThat(positions(all())).as("the event younger than retention stays, though acked").containsExactly(6L);
        assertThat(positions(r(tx -> tx.events().read("fast", 10)))).as("nothing left for fast").isEmpty();
        List<RegistryEvent> after = append(event(Type.IMAGE_PUSHED, "app", 9));
        assertThat(after.get(0).position()).as("positions never restart after pruning").isEqualTo(7L);
    }

    @Test
    void prune_inBatches_withoutSubscribers_byRetentionAlone() {
        List<RegistryEvent> many = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            many.add(event(Type.TAG_CHANGED, "bulk", i % 100));
        }
        w(tx -> tx.events().append(many));
        long pruned = new EventRetention(store, Clock.fixed(T0.plus(Duration.ofDays(8)), ZoneOffset.UTC))
                .pruneOlderThan(Duration.ofDays(7));
        assertThat(pruned).as("2,500 events 8 days old, retention 7 days, no subscriber, three batches")
                .isEqualTo(2_500);
        assertThat(all()).isEmpty();
    }

    @Test
    void concurrentAppends_getDistinctContiguousPositions_andGaplessSequencesPerRepository() throws Exception {
        AtomicInteger n = new AtomicInteger();
        runConcurrently(() -> {
            for (int i = 0; i < 10; i++) {
                int k = n.incrementAndGet();
                append(event(Type.IMAGE_PUSHED, "repo" + (k % 3), k), event(Type.TAG_CHANGED, "repo" + (k % 3), k));
            }
            return null;
        });
        List<RegistryEvent> events = all();
        assertThat(positions(events)).as("%d threads x 10 appends of 2 events", THREADS)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, THREADS * 20L).boxed().toList());
        Map<String, List<Long>> byRepo = new TreeMap<>();
        events.forEach(e -> byRepo.computeIfAbsent(e.repository(), k -> new ArrayList<>()).add(e.sequence()));
        byRepo.forEach((repo, seqs) -> assertThat(seqs).as("sequence of %s in position order", repo)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList()));
        Set<String> pairs = new HashSet<>();
        events.forEach(e -> pairs.add(e.type() + e.detail()));
        assertThat(pairs).as("no event lost or duplicated").hasSize(THREADS * 20);
    }

    /**
     * Positions follow commit order: while one transaction that appended is still open, a second append waits, so
     * a reader can never see position 2 committed while position 1 may still appear.
     */
    @Test
    void append_waitsForAnEarlierAppendersCommit_soPositionsFollowCommitOrder() throws Exception {
        java.util.concurrent.CountDownLatch appended = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> w(tx -> {
                tx.events().append(List.of(event(Type.IMAGE_PUSHED, "app", 1)));
                appended.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            assertThat(appended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var second = pool.submit(() -> append(event(Type.IMAGE_PUSHED, "web", 2)));
            Thread.sleep(300);
            assertThat(second.isDone()).as("the second append while the first transaction is open").isFalse();
            release.countDown();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).get(0).position())
                    .as("the second append, after the first committed").isEqualTo(2L);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(all()).extracting(RegistryEvent::repository).containsExactly("app", "web");
    }
}
