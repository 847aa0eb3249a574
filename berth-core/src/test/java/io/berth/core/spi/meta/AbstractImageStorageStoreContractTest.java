package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.spi.meta.ImageStorageRecord.ImageStatus;
import io.berth.core.spi.meta.ImageStorageRecord.StorageClass;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link ImageStorageStore} behaviour every {@link MetadataStore} backend must have. */
public abstract class AbstractImageStorageStoreContractTest extends AbstractStoreContractTest {

    @Test
    void get_neverArchived_isEmpty() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, m.digest()))).isEmpty();
        assertThat(r((Tx tx) -> tx.imageStorage().getAll(id, List.of(m.digest())))).isEmpty();
    }

    @Test
    void transition_archiveThenRestore_storesEveryField() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        ImageStorageRecord archived = ImageStorageRecord.active(m.digest()).archivedAt(T0.plusMillis(5));
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE, archived))).isTrue();
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, m.digest()))).contains(archived);
        assertThat(archived.storageClass()).isEqualTo(StorageClass.ARCHIVE);

        ImageStorageRecord activating = archived.activating();
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ARCHIVED, activating))).isTrue();
        ImageStorageRecord active = activating.activatedAt(T0.plusSeconds(9));
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVATING, active))).isTrue();
        ImageStorageRecord stored = r((Tx tx) -> tx.imageStorage().get(id, m.digest())).orElseThrow();
        assertThat(stored).isEqualTo(active);
        assertThat(stored.lastArchivedAt()).isEqualTo(T0.plusMillis(5));
        assertThat(stored.lastActivatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(r((Tx tx) -> tx.imageStorage().getAll(id, List.of(m.digest(), digest("x")))))
                .containsOnlyKeys(m.digest());
        assertThat(r((Tx tx) -> tx.imageStorage().between(id, m.digest(), m.digest()))).as("a range of one")
                .containsOnlyKeys(m.digest());
        Digest low = Digest.parse("sha256:" + "0".repeat(64));
        Digest high = Digest.parse("sha256:" + "f".repeat(64));
        assertThat(r((Tx tx) -> tx.imageStorage().between(id, low, high))).as("the whole range")
                .containsOnlyKeys(m.digest());
        assertThat(r((Tx tx) -> tx.imageStorage().between(id, low, low))).as("a range without it").isEmpty();

        // archived again from the ACTIVE row: the update branch of the upsert
        ImageStorageRecord again = stored.archivedAt(T0.plusSeconds(20));
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE, again))).isTrue();
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, m.digest()))).contains(again);
    }

    @Test
    void transition_fromWrongStatus_changesNothing() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        ImageStorageRecord archived = ImageStorageRecord.active(m.digest()).archivedAt(T0);
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE, archived))).isTrue();
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE,
                archived.archivedAt(T0.plusSeconds(1))))).isFalse();
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVATING,
                archived.activatedAt(T0)))).isFalse();
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, m.digest()))).contains(archived);
        // never archived: no row to move from ARCHIVED
        ManifestRecord other = push(id, "two");
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ARCHIVED,
                ImageStorageRecord.active(other.digest()).activating()))).isFalse();
    }

    @Test
    void transition_unknownManifest_writesNothing() {
        long id = repo("repo");
        Digest unknown = digest("unknown");
        assertThat(w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE,
                ImageStorageRecord.active(unknown).archivedAt(T0)))).isFalse();
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, unknown))).isEmpty();
    }

    @Test
    void manifestDeleted_rowGoesWithIt() {
        long id = repo("repo");
        ManifestRecord m = push(id, "one");
        w((Tx tx) -> tx.imageStorage().transition(id, ImageStatus.ACTIVE,
                ImageStorageRecord.active(m.digest()).archivedAt(T0)));
        w((Tx tx) -> tx.manifests().delete(id, m.digest()));
        push(id, "one");
        assertThat(r((Tx tx) -> tx.imageStorage().get(id, m.digest()))).isEmpty();
    }

    @Test
    void archivable_blobSharedWithActiveImage_isNot() {
        long a = repo("aa");
        long b = repo("bb");
        Digest shared = digest("shared");
        Digest own = digest("own");
        ManifestRecord archivedImage = push(a, manifest("archived"), shared, own);
        push(b, manifest("active"), shared);
        w((Tx tx) -> tx.imageStorage().transition(a, ImageStatus.ACTIVE,
                ImageStorageRecord.active(archivedImage.digest()).archivedAt(T0)));
        assertThat(r((Tx tx) -> tx.imageStorage().blobsOf(a, archivedImage.digest()))).containsExactlyInAnyOrder(
                shared, own);
        assertThat(w((Tx tx) -> tx.imageStorage().archivable(Set.of(shared, own)))).containsExactly(own);
        assertThat(w((Tx tx) -> tx.imageStorage().archivable(Set.of()))).isEmpty();
    }

    @Test
    void archivable_activatingImage_keepsItsBlobs() {
        long a = repo("aa");
        Digest blob = digest("blob");
        ManifestRecord one = push(a, manifest("one"), blob);
        ManifestRecord two = push(a, manifest("two"), blob);
        w((Tx tx) -> tx.imageStorage().transition(a, ImageStatus.ACTIVE,
                ImageStorageRecord.active(one.digest()).archivedAt(T0)));
        w((Tx tx) -> tx.imageStorage().transition(a, ImageStatus.ACTIVE,
                ImageStorageRecord.active(two.digest()).archivedAt(T0)));
        assertThat(w((Tx tx) -> tx.imageStorage().archivable(Set.of(blob)))).containsExactly(blob);
        w((Tx tx) -> tx.imageStorage().transition(a, ImageStatus.ARCHIVED,
                ImageStorageRecord.active(two.digest()).archivedAt(T0).activating()));
        assertThat(w((Tx tx) -> tx.imageStorage().archivable(Set.of(blob)))).isEmpty();
    }

    @Test
    void archivedBlobs_markAndUnmark_areIdempotent() {
        long a = repo("aa");
        Digest one = digest("b1");
        Digest two = digest("b2");
        push(a, manifest("m"), one, two);
        w((Tx tx) -> {
            tx.imageStorage().markArchived(List.of(one, two), T0);
            tx.imageStorage().markArchived(List.of(one), T0);
            return null;
        });
        assertThat(r((Tx tx) -> tx.imageStorage().archivedBlobs(List.of(one, two, digest("x")))))
                .containsExactlyInAnyOrder(one, two);
        w((Tx tx) -> {
            tx.imageStorage().unmarkArchived(List.of(one));
            tx.imageStorage().unmarkArchived(List.of(one));
            return null;
        });
        assertThat(r((Tx tx) -> tx.imageStorage().archivedBlobs(List.of(one, two)))).containsExactly(two);
    }

    @Test
    void archivedBlob_recordRemovedByGc_rowGoesWithIt() {
        long a = repo("aa");
        Digest blob = digest("b");
        ManifestRecord m = push(a, manifest("m"), blob);
        w((Tx tx) -> {
            tx.imageStorage().markArchived(List.of(blob), T0);
            tx.manifests().delete(a, m.digest());
            tx.blobs().remove(blob);
            return null;
        });
        assertThat(r((Tx tx) -> tx.imageStorage().archivedBlobs(List.of(blob)))).isEmpty();
    }
}
