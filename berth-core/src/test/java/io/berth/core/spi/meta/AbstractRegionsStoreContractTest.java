package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import io.berth.core.model.RepositoryName;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §1: each account in each region is its own registry in every per-registry store, and the deployment's
 * default region is recorded once. Backends subclass in one line.
 */
public abstract class AbstractRegionsStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId EAST = new RegistryId("111122223333"); // the default region: region-less
    private static final RegistryId WEST = EAST.inRegion("eu-west-1");
    private static final RepositoryName APP = RepositoryName.of("team/app");

    @Test
    void defaultRegion_recordedOnce() {
        assertThat(w((MetadataStore.Tx tx) -> tx.identities().pinDefaultRegion("us-east-1"))).isEqualTo("us-east-1");
        assertThat(w((MetadataStore.Tx tx) -> tx.identities().pinDefaultRegion("eu-west-1")))
                .as("a second start with another first region gets the recorded one").isEqualTo("us-east-1");
        assertThat(w((MetadataStore.Tx tx) -> tx.identities().pinDefaultRegion("us-east-1"))).isEqualTo("us-east-1");
    }

    @Test
    void sameRepositoryName_isTwoRepositories_andReadsBackWithItsRegion() {
        RepositoryRecord east = w((MetadataStore.Tx tx) -> tx.repositories().getOrCreate(EAST, APP, T0));
        RepositoryRecord west = w((MetadataStore.Tx tx) -> tx.repositories().getOrCreate(WEST, APP, T0));
        assertThat(west.id()).as("a second repository, not the first again").isNotEqualTo(east.id());
        assertThat(west.registryId()).isEqualTo(WEST);
        assertThat(east.registryId()).isEqualTo(EAST);
        assertThat(r((MetadataStore.Tx tx) -> tx.repositories().list(WEST, null, 10)))
                .extracting(RepositoryRecord::id).containsExactly(west.id());
        assertThat(r((MetadataStore.Tx tx) -> tx.repositories().get(WEST.inRegion("ap-south-1"), APP))).isEmpty();
    }

    @Test
    void registrySettings_arePerRegion() {
        w((MetadataStore.Tx tx) -> {
            tx.scans().putConfiguration(WEST, "ENHANCED", "[]", T0);
            tx.policies().put(PolicyKey.registry(WEST), "{\"west\":true}");
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.scans().configuration(EAST))).as("scanning in the default region")
                .isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.scans().configuration(WEST))).isPresent();
        assertThat(r((MetadataStore.Tx tx) -> tx.policies().get(PolicyKey.registry(EAST)))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.policies().get(PolicyKey.registry(WEST)))).contains("{\"west\":true}");
    }

    @Test
    void iamPolicies_areGlobal() {
        w((MetadataStore.Tx tx) -> {
            tx.policies().put(new PolicyKey(WEST, PolicyStore.Kind.USER_INLINE, "alice", "p"), "{}");
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.policies().get(new PolicyKey(EAST, PolicyStore.Kind.USER_INLINE,
                "alice", "p")))).as("an IAM user's policy, whichever region wrote it").contains("{}");
    }
}
