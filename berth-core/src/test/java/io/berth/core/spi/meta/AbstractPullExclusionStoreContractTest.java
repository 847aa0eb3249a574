package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link PullExclusionStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractPullExclusionStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");
    private static final String SCANNER = "arn:aws:iam::111122223333:user/scanner";

    @Test
    void add_thenGet_andSecondAddIsFalse() {
        assertThat(w((MetadataStore.Tx tx) -> tx.pullExclusions().add(ACCOUNT, SCANNER, T0))).as("first add").isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.pullExclusions().add(ACCOUNT, SCANNER, T0.plusSeconds(5)))).as("second add").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.pullExclusions().get(ACCOUNT, SCANNER))).as("created at of the first add").contains(T0);
        assertThat(r((MetadataStore.Tx tx) -> tx.pullExclusions().get(OTHER, SCANNER))).as("another registry").isEmpty();
    }

    @Test
    void remove_onlyWhatWasThere() {
        w((MetadataStore.Tx tx) -> tx.pullExclusions().add(ACCOUNT, SCANNER, T0));
        assertThat(w((MetadataStore.Tx tx) -> tx.pullExclusions().remove(OTHER, SCANNER))).as("remove in another registry").isFalse();
        assertThat(w((MetadataStore.Tx tx) -> tx.pullExclusions().remove(ACCOUNT, SCANNER))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.pullExclusions().remove(ACCOUNT, SCANNER))).as("second remove").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.pullExclusions().get(ACCOUNT, SCANNER))).isEmpty();
    }

    @Test
    void list_pagesInArnOrder() {
        for (String u : List.of("c", "a", "b")) {
            w((MetadataStore.Tx tx) -> tx.pullExclusions().add(ACCOUNT, "arn:aws:iam::111122223333:user/" + u, T0));
        }
        w((MetadataStore.Tx tx) -> tx.pullExclusions().add(OTHER, "arn:aws:iam::444455556666:user/x", T0));
        List<String> first = r((MetadataStore.Tx tx) -> tx.pullExclusions().list(ACCOUNT, null, 2));
        assertThat(first).containsExactly("arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:user/b");
        assertThat(r((MetadataStore.Tx tx) -> tx.pullExclusions().list(ACCOUNT, first.get(1), 5)))
                .containsExactly("arn:aws:iam::111122223333:user/c");
    }
}
