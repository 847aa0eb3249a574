package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.MetadataStore.Tx;
import org.junit.jupiter.api.Test;

/** The {@link UploadStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractUploadStoreContractTest extends AbstractStoreContractTest {

    @Test
    void create_upload_isReadableAndDeletable() {
        long id = repo("repo");
        UploadRecord u = new UploadRecord("0f1e2d3c-upload", id, T0);
        w((Tx tx) -> {
            tx.uploads().create(u);
            return null;
        });
        assertThat(r((Tx tx) -> tx.uploads().get(u.uploadId()))).contains(u);
        assertThat(r((Tx tx) -> tx.uploads().get("unknown"))).isEmpty();
        assertThat(w((Tx tx) -> tx.uploads().delete(u.uploadId()))).isTrue();
        assertThat(w((Tx tx) -> tx.uploads().delete(u.uploadId()))).isFalse();
    }

    @Test
    void startedBefore_uploads_returnsOldestFirstUpToLimit() {
        long id = repo("repo");
        w((Tx tx) -> {
            tx.uploads().create(new UploadRecord("c", id, T0.plusSeconds(30)));
            tx.uploads().create(new UploadRecord("a", id, T0.plusSeconds(10)));
            tx.uploads().create(new UploadRecord("b", id, T0.plusSeconds(20)));
            tx.uploads().create(new UploadRecord("new", id, T0.plusSeconds(100)));
            return null;
        });
        assertThat(r((Tx tx) -> tx.uploads().startedBefore(T0.plusSeconds(60), 10))).extracting(UploadRecord::uploadId)
                .containsExactly("a", "b", "c");
        assertThat(r((Tx tx) -> tx.uploads().startedBefore(T0.plusSeconds(60), 2))).extracting(UploadRecord::uploadId)
                .containsExactly("a", "b");
    }
}
