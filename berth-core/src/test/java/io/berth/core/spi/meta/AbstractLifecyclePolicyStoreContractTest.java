package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@link LifecyclePolicyStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractLifecyclePolicyStoreContractTest extends AbstractStoreContractTest {
    private static final String TEXT = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void put_thenGet_returnsTheTextVerbatimAndNoEvaluationYet() {
        long app = repo("app");
        long other = repo("other");
        w((MetadataStore.Tx tx) -> { tx.lifecyclePolicies().put(app, "  " + TEXT + "\n", T0); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.lifecyclePolicies().get(app))).as("policy put on app")
                .contains(new LifecyclePolicyRecord("  " + TEXT + "\n", T0, null));
        assertThat(r((MetadataStore.Tx tx) -> tx.lifecyclePolicies().get(other))).as("another repository").isEmpty();
    }

    @Test
    void put_again_replacesTheTextAndKeepsTheLastEvaluation() {
        long app = repo("app");
        w((MetadataStore.Tx tx) -> { tx.lifecyclePolicies().put(app, TEXT, T0); return null; });
        assertThat(w((MetadataStore.Tx tx) -> tx.lifecyclePolicies().markEvaluated(app, T0.plusSeconds(60))))
                .as("mark evaluated with a policy").isTrue();
        w((MetadataStore.Tx tx) -> { tx.lifecyclePolicies().put(app, TEXT + " ", T0.plusSeconds(120)); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.lifecyclePolicies().get(app))).as("after the second put")
                .contains(new LifecyclePolicyRecord(TEXT + " ", T0.plusSeconds(120), T0.plusSeconds(60)));
    }

    @Test
    void delete_returnsWhatWasThere_onlyOnce() {
        long app = repo("app");
        assertThat(w((MetadataStore.Tx tx) -> tx.lifecyclePolicies().delete(app))).as("delete without policy").isEmpty();
        w((MetadataStore.Tx tx) -> { tx.lifecyclePolicies().put(app, TEXT, T0); return null; });
        assertThat(w((MetadataStore.Tx tx) -> tx.lifecyclePolicies().delete(app))).as("first delete")
                .contains(new LifecyclePolicyRecord(TEXT, T0, null));
        assertThat(w((MetadataStore.Tx tx) -> tx.lifecyclePolicies().delete(app))).as("second delete").isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.lifecyclePolicies().markEvaluated(app, T0)))
                .as("mark evaluated after delete").isFalse();
    }

    @Test
    void deletingTheRepository_deletesItsPolicy() {
        long app = repo("app");
        w((MetadataStore.Tx tx) -> { tx.lifecyclePolicies().put(app, TEXT, T0); return null; });
        assertThat(w((MetadataStore.Tx tx) -> tx.repositories().delete(app))).as("repository deleted").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.lifecyclePolicies().get(app))).as("policy of deleted repo").isEmpty();
        long again = repo("app");
        assertThat(r((MetadataStore.Tx tx) -> tx.lifecyclePolicies().get(again))).as("recreated repository").isEmpty();
    }
}
