package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link PullThroughRuleStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractPullThroughRuleStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");

    private static PullThroughRuleRecord rule(String prefix) {
        return new PullThroughRuleRecord(prefix, "quay.io", "quay", null, null, "ROOT", T0, T0);
    }

    @Test
    void create_thenGet_andSecondCreateIsFalse() {
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().create(ACCOUNT, rule("quay")))).isTrue();
        PullThroughRuleRecord again = new PullThroughRuleRecord("quay", "ghcr.io", null, null, null, "ROOT", T0, T0);
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().create(ACCOUNT, again))).as("second").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().get(ACCOUNT, "quay"))).contains(rule("quay"));
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().get(OTHER, "quay"))).as("other registry").isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().count(ACCOUNT))).isEqualTo(1);
    }

    @Test
    void update_setsCredentialAndRole_only() {
        w((MetadataStore.Tx tx) -> tx.pullThroughRules().create(ACCOUNT, rule("quay")));
        String role = "arn:aws:iam::111122223333:role/puller";
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().update(ACCOUNT, "quay", null, role,
                T0.plusSeconds(60)))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().update(ACCOUNT, "none", null, role, T0)))
                .as("no such rule").isFalse();
        PullThroughRuleRecord got = r((MetadataStore.Tx tx) -> tx.pullThroughRules().get(ACCOUNT, "quay")).orElseThrow();
        assertThat(got.customRoleArn()).isEqualTo(role);
        assertThat(got.createdAt()).isEqualTo(T0);
        assertThat(got.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(got.upstreamRegistryUrl()).isEqualTo("quay.io");
    }

    @Test
    void delete_andList_inPrefixOrder() {
        for (String p : List.of("c", "a", "b", "ROOT")) {
            w((MetadataStore.Tx tx) -> tx.pullThroughRules().create(ACCOUNT, rule(p)));
        }
        w((MetadataStore.Tx tx) -> tx.pullThroughRules().create(OTHER, rule("x")));
        List<PullThroughRuleRecord> first = r((MetadataStore.Tx tx) -> tx.pullThroughRules().list(ACCOUNT, null, 2));
        assertThat(first).extracting(PullThroughRuleRecord::prefix).containsExactly("ROOT", "a");
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().list(ACCOUNT, "a", 5)))
                .extracting(PullThroughRuleRecord::prefix).containsExactly("b", "c");
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().delete(ACCOUNT, "b"))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.pullThroughRules().delete(ACCOUNT, "b"))).as("again").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().count(ACCOUNT))).isEqualTo(3);
    }

    @Test
    void tagChecked_upserts() {
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().tagChecked(ACCOUNT, "quay/a", "v1"))).isEmpty();
        w((MetadataStore.Tx tx) -> { tx.pullThroughRules().markTagChecked(ACCOUNT, "quay/a", "v1", T0); return null; });
        w((MetadataStore.Tx tx) -> {
            tx.pullThroughRules().markTagChecked(ACCOUNT, "quay/a", "v1", T0.plusSeconds(5));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().tagChecked(ACCOUNT, "quay/a", "v1")))
                .contains(T0.plusSeconds(5));
        assertThat(r((MetadataStore.Tx tx) -> tx.pullThroughRules().tagChecked(OTHER, "quay/a", "v1"))).isEmpty();
    }
}
