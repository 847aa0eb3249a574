package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.model.Tag;
import io.berth.core.spi.meta.MetadataStore.Tx;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The {@link MetadataStore} itself: transactions, their rollback, health. Each store of a transaction has a suite
 * of its own beside this one ({@link AbstractRepositoryStoreContractTest} and its siblings). Backends subclass in
 * one line.
 */
public abstract class AbstractMetadataStoreContractTest extends AbstractStoreContractTest {

    @Test
    void checkHealth_freshStore_passes() {
        store.checkHealth();
        assertThat(store.describe()).isNotBlank().doesNotContain("password");
    }

    @Test
    void writeUnsynced_commitsLikeWrite_andLaterWritesStayDurable() {
        store.writeUnsynced((Tx tx) -> tx.blobs().touch(digest("u"), 7, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("u")))).as("the unsynced commit is visible")
                .map(BlobRecord::size).contains(7L);
        assertThatThrownBy(() -> store.writeUnsynced((Tx tx) -> {
            tx.blobs().touch(digest("v"), 1, T0);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(r((Tx tx) -> tx.blobs().get(digest("v")))).as("an unsynced write rolls back too").isEmpty();
        w((Tx tx) -> tx.blobs().touch(digest("w"), 2, T0));
        assertThat(r((Tx tx) -> tx.blobs().get(digest("w")))).as("an ordinary write after it").isPresent();
    }

    @Test
    void write_workThrows_rollsBackEveryChange() {
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.repositories().getOrCreate(RegistryId.DEFAULT, RepositoryName.of("rolled/back"), T0);
            tx.blobs().touch(digest("b"), 1, T0);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(r((Tx tx) -> tx.repositories().get(RegistryId.DEFAULT, RepositoryName.of("rolled/back")))).isEmpty();
        assertThat(r((Tx tx) -> tx.blobs().get(digest("b")))).isEmpty();
    }

    @Test
    void write_constraintViolation_throwsMetadataExceptionAndRollsBack() {
        long id = repo("repo");
        assertThatThrownBy(() -> w((Tx tx) -> {
            tx.uploads().create(new UploadRecord("u1", id, T0));
            // The tag's manifest does not exist.
            return tx.tags().put(id, Tag.of("latest"), digest("missing"), T0);
        })).isInstanceOf(MetadataException.class);
        assertThat(r((Tx tx) -> tx.uploads().get("u1"))).isEmpty();
    }

    /** A push racing DeleteRepository writes into a repository ID that is gone: a distinct, catchable failure. */
    @Test
    void write_intoDeletedRepository_throwsReferencedRowMissing() {
        long id = repo("deleted/under/push");
        w((Tx tx) -> tx.blobs().touch(digest("raced"), 10, T0));
        assertThat(w((Tx tx) -> tx.repositories().delete(id))).isTrue();
        List<Function<Tx, Object>> writes = List.of(
                tx -> { tx.uploads().create(new UploadRecord("raced-upload", id, T0)); return null; },
                tx -> { tx.blobs().link(id, digest("raced"), T0); return null; },
                tx -> tx.manifests().putIfAbsent(id, manifest("raced"), Set.of(), Set.of()));
        for (Function<Tx, Object> write : writes) {
            assertThatThrownBy(() -> w(write)).as("a write into deleted repository %d", id)
                    .isInstanceOf(ReferencedRowMissingException.class);
        }
    }
}
