package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.Digest;
import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.ReplicationStore.Status;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@link ReplicationStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractReplicationStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId EAST = new RegistryId("111122223333");
    private static final RegistryId WEST = EAST.inRegion("eu-west-1");
    private static final Digest IMAGE = Digest.sha256Of("image".getBytes(StandardCharsets.UTF_8));

    @Test
    void configuration_perRegistry_replacedWhole() {
        assertThat(r((MetadataStore.Tx tx) -> tx.replication().configuration(EAST))).isEmpty();
        w((MetadataStore.Tx tx) -> {
            tx.replication().putConfiguration(EAST, "{\"rules\":[1]}", T0);
            tx.replication().putConfiguration(EAST, "{\"rules\":[2]}", T0.plusSeconds(1));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.replication().configuration(EAST))).contains("{\"rules\":[2]}");
        assertThat(r((MetadataStore.Tx tx) -> tx.replication().configuration(WEST))).as("another region").isEmpty();
    }

    @Test
    void status_upsertedPerDestination_inDestinationOrder() {
        w((MetadataStore.Tx tx) -> {
            tx.replication().putStatus(EAST, "app", IMAGE, new Status("us-west-2", "444455556666", "IN_PROGRESS",
                    null, T0));
            tx.replication().putStatus(EAST, "app", IMAGE, new Status("eu-west-1", "111122223333", "FAILED",
                    "peer down", T0));
            tx.replication().putStatus(EAST, "app", IMAGE, new Status("us-west-2", "444455556666", "COMPLETE",
                    null, T0.plusSeconds(5)));
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.replication().statuses(EAST, "app", IMAGE))).containsExactly(
                new Status("eu-west-1", "111122223333", "FAILED", "peer down", T0),
                new Status("us-west-2", "444455556666", "COMPLETE", null, T0.plusSeconds(5)));
        assertThat(r((MetadataStore.Tx tx) -> tx.replication().statuses(WEST, "app", IMAGE))).isEmpty();
    }
}
