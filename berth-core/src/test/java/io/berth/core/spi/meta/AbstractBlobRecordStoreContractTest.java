package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.BlobRecordStore.TouchResult;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobRecordStore} behaviour every {@link MetadataStore} backend must have: records, links and the GC
 * protocol (mark, remove, and the push lock GC waits for). Backends subclass in one line.
 */
public abstract class AbstractBlobRecordStoreContractTest extends AbstractStoreContractTest {

    @Test
    void touch_newDigest_createsLiveRecord() {
        Digest d = digest("blob");
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 42, T0))).isEqualTo(TouchResult.CREATED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).contains(new BlobRecord(d, 42, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("other")))).isEmpty();
    }

    @Test
    void touch_existingRecord_refreshesLastSeen() {
        Digest d = digest("blob");
        w((Tx tx) -> tx.blobs().touch(d, 42, T0));
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 42, T0.plusSeconds(60)))).isEqualTo(TouchResult.REFRESHED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).contains(new BlobRecord(d, 42, T0.plusSeconds(60)));
    }

    @Test
    void lockLive_mixedDigests_returnsOnlyLiveRecords() {
        Digest live = digest("live");
        Digest deleting = digest("deleting");
        Digest missing = digest("missing");
        w((Tx tx) -> {
            tx.blobs().touch(live, 1, T0);
            tx.blobs().touch(deleting, 1, T0);
            return tx.blobs().markDeleting(deleting, T0.plusSeconds(1));
        });
        assertThat(w((Tx tx) -> tx.blobs().lockLive(List.of(live, deleting, missing)))).containsExactly(live);
        assertThat(w((Tx tx) -> tx.blobs().lockLive(List.of()))).isEmpty();
    }

    @Test
    void link_liveBlob_isLinkedIdempotently() {
        long id = repo("repo");
        long other = repo("other");
        Digest d = digest("blob");
        Digest unlinked = digest("unlinked");
        w((Tx tx) -> {
            tx.blobs().touch(d, 1, T0);
            tx.blobs().touch(unlinked, 1, T0);
            tx.blobs().link(id, d, T0);
            tx.blobs().link(id, d, T0.plusSeconds(1));
            return null;
        });
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isTrue();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(other, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().linked(id, List.of(d, unlinked, digest("missing"))))).containsExactly(d);
        assertThat(w((Tx tx) -> tx.blobs().unlink(id, d))).isTrue();
        assertThat(w((Tx tx) -> tx.blobs().unlink(id, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isPresent();
    }

    @Test
    void link_blobWithoutLiveRecord_throwsBlobRecordGone() {
        long id = repo("repo");
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.blobs().link(id, digest("missing"), T0);
            return null;
        })).isInstanceOf(BlobRecordGoneException.class);
    }

    // the GC protocol

    @Test
    void unreferencedBefore_mixedRecords_returnsOnlyOldUnreferencedInDigestOrder() {
        long id = repo("repo");
        Digest referenced = digest("referenced");
        push(id, manifest("m"), referenced);
        List<Digest> old = IntStream.range(0, 5).mapToObj(i -> digest("old" + i)).sorted().toList();
        Digest fresh = digest("fresh");
        w((Tx tx) -> {
            old.forEach(d -> tx.blobs().touch(d, 1, T0));
            tx.blobs().touch(fresh, 1, T0.plusSeconds(3600));
            return null;
        });
        Instant cutoff = T0.plusSeconds(60);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 100))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, null, 2))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old.subList(0, 2));
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(cutoff, old.get(1), 100))).extracting(BlobRecord::digest)
                .containsExactlyElementsOf(old.subList(2, 5));
        // The cutoff is exclusive.
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(T0, null, 100))).isEmpty();
    }

    @Test
    void markDeleting_oldUnreferencedBlob_marksAndHidesIt() {
        Digest d = digest("garbage");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0));
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isTrue();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).containsExactly(d);
        assertThat(r((Tx tx) -> tx.blobs().unreferencedBefore(T0.plusSeconds(60), null, 10))).isEmpty();
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isFalse();
    }

    @Test
    void markDeleting_referencedBlob_refuses() {
        long id = repo("repo");
        Digest layer = digest("layer");
        push(id, manifest("m"), layer);
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(layer, T0.plusSeconds(60)))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(layer))).isPresent();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).isEmpty();
    }

    @Test
    void markDeleting_blobSeenAfterCutoff_refuses() {
        Digest d = digest("fresh");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(120)));
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)))).isFalse();
        assertThat(w((Tx tx) -> tx.blobs().markDeleting(digest("missing"), T0.plusSeconds(60)))).isFalse();
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isPresent();
    }

    @Test
    void touch_blobBeingDeleted_returnsBeingDeletedAndLeavesMark() {
        Digest d = digest("garbage");
        w((Tx tx) -> tx.blobs().touch(d, 1, T0));
        w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)));
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(90)))).isEqualTo(TouchResult.BEING_DELETED);
        assertThat(r((Tx tx) -> tx.blobs().get(d))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).containsExactly(d);
    }

    @Test
    void remove_markedBlob_deletesRecordAndLinks() {
        long id = repo("repo");
        Digest d = digest("garbage");
        w((Tx tx) -> {
            tx.blobs().touch(d, 1, T0);
            tx.blobs().link(id, d, T0);
            return null;
        });
        w((Tx tx) -> tx.blobs().markDeleting(d, T0.plusSeconds(60)));
        w((Tx tx) -> {
            tx.blobs().remove(d);
            return null;
        });
        assertThat(r((Tx tx) -> tx.blobs().beingDeleted(10))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().isLinked(id, d))).isFalse();
        // Gone for good: the next upload starts a new record.
        assertThat(w((Tx tx) -> tx.blobs().touch(d, 1, T0.plusSeconds(120)))).isEqualTo(TouchResult.CREATED);
    }

    @Test
    void markDeleting_whilePushHoldsLiveLock_waitsAndRefuses() throws Exception {
        long id = repo("repo");
        Digest layer = digest("layer");
        w((Tx tx) -> tx.blobs().touch(layer, 1, T0));
        ManifestRecord m = manifest("m");
        CountDownLatch locked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> push = pool.submit(() -> w((Tx tx) -> {
                assertThat(tx.blobs().lockLive(List.of(layer))).containsExactly(layer);
                locked.countDown();
                sleep(Duration.ofMillis(300)); // GC tries to mark meanwhile
                return tx.manifests().putIfAbsent(id, m, Set.of(layer), Set.of());
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> mark = pool.submit(() -> w((Tx tx) -> tx.blobs().markDeleting(layer, T0.plusSeconds(60))));
            assertThat(push.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(mark.get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            pool.shutdownNow();
        }
        assertThat(r((Tx tx) -> tx.blobs().get(layer))).isPresent();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
