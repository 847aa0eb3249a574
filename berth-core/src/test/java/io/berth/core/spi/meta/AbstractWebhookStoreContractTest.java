package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.spi.meta.WebhookStore.DeliveryRecord;
import io.berth.core.spi.meta.WebhookStore.DeliveryStatus;
import io.berth.core.spi.meta.WebhookStore.WebhookRecord;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link WebhookStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractWebhookStoreContractTest extends AbstractStoreContractTest {

    private static WebhookRecord hook(String id, String filter, Set<String> events) {
        return new WebhookRecord(id, "https://example.com/" + id, events, filter, "whsec_" + id, T0);
    }

    private static DeliveryRecord attempt(String id, long position, int n, DeliveryStatus status) {
        return new DeliveryRecord(id, "event-" + position, position, "ECR Image Action", "team/app", n, status,
                status == DeliveryStatus.DELIVERED ? 200 : 500, status == DeliveryStatus.DELIVERED ? null : "HTTP 500",
                T0.plusSeconds(n));
    }

    @Test
    void create_get_list_andDelete_removesTheLog() {
        w((MetadataStore.Tx tx) -> { tx.webhooks().create(hook("a", "team/*", Set.of("ECR Image Action",
                "ECR Image Scan"))); return null; });
        w((MetadataStore.Tx tx) -> { tx.webhooks().create(hook("b", null, Set.of())); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().get("a"))).contains(hook("a", "team/*",
                Set.of("ECR Image Action", "ECR Image Scan")));
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().get("b")).orElseThrow().events()).as("all").isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().list())).extracting(WebhookRecord::id)
                .containsExactly("a", "b");
        w((MetadataStore.Tx tx) -> { tx.webhooks().recordDelivery(attempt("a", 5, 1, DeliveryStatus.FAILED));
                return null; });
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().delete("a"))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().delete("a"))).as("again").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().deliveries(null, null, 10))).as("a's log").isEmpty();
    }

    @Test
    void lease_isHeldByOneOwnerUntilItExpires_renewable_releasable_andTakenOverOnceExpired() {
        w((MetadataStore.Tx tx) -> { tx.webhooks().create(hook("a", null, Set.of())); return null; });
        java.time.Instant t1 = T0.plusSeconds(10);
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-1", T0, t1))).as("free").isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-2", T0.plusSeconds(5),
                T0.plusSeconds(15)))).as("held by node-1").isFalse();
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-1", T0.plusSeconds(5),
                T0.plusSeconds(15)))).as("renewed by its holder").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().leaseHolder("a", T0.plusSeconds(12)))).contains("node-1");
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-2", T0.plusSeconds(12),
                T0.plusSeconds(22)))).as("the renewal holds past the first expiry").isFalse();
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-2", T0.plusSeconds(16),
                T0.plusSeconds(26)))).as("expired: taken over").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().leaseHolder("a", T0.plusSeconds(16)))).contains("node-2");
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().leaseHolder("a", T0.plusSeconds(27)))).as("expired")
                .isEmpty();
        w((MetadataStore.Tx tx) -> { tx.webhooks().releaseLeases("node-2"); return null; });
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().lease("a", "node-1", T0.plusSeconds(17),
                T0.plusSeconds(27)))).as("released: free at once").isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.webhooks().delete("a"))).as("with its lease").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().leaseHolder("a", T0))).isEmpty();
    }

    @Test
    void deliveries_newestFirst_byWebhookAndStatus_andAttemptsPerEvent() {
        w((MetadataStore.Tx tx) -> { tx.webhooks().create(hook("a", null, Set.of())); return null; });
        w((MetadataStore.Tx tx) -> { tx.webhooks().create(hook("b", null, Set.of())); return null; });
        w((MetadataStore.Tx tx) -> {
            tx.webhooks().recordDelivery(attempt("a", 5, 1, DeliveryStatus.FAILED));
            tx.webhooks().recordDelivery(attempt("a", 5, 2, DeliveryStatus.DEAD));
            tx.webhooks().recordDelivery(attempt("a", 6, 1, DeliveryStatus.DELIVERED));
            tx.webhooks().recordDelivery(attempt("b", 5, 1, DeliveryStatus.DELIVERED));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().deliveries("a", null, 10)))
                .extracting(DeliveryRecord::position, DeliveryRecord::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, 1), org.assertj.core.groups.Tuple.tuple(5L, 2),
                        org.assertj.core.groups.Tuple.tuple(5L, 1));
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().deliveries(null, DeliveryStatus.DEAD, 10)))
                .containsExactly(attempt("a", 5, 2, DeliveryStatus.DEAD));
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().deliveries(null, null, 2))).hasSize(2);
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().attempts("a", 5))).isEqualTo(2);
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().attempts("b", 5))).isEqualTo(1);
        assertThat(r((MetadataStore.Tx tx) -> tx.webhooks().attempts("a", 7))).isZero();
    }
}
