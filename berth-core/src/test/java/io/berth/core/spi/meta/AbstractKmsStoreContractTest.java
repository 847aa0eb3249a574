package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link KmsStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractKmsStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");

    private static KmsKeyRecord key(String id) {
        return new KmsKeyRecord(id, "d " + id, "CUSTOMER", KmsKeyRecord.ENABLED, T0, Instant.EPOCH, 0, false, 365,
                T0, 1, "{\"Statement\":[]}");
    }

    @Test
    void createKey_thenGet_withVersionOne_andDuplicateIsFalse() {
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key("k1"), new byte[] {1, 2, 3}))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key("k1"), new byte[] {9}))).as("again").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().key(ACCOUNT, "k1"))).contains(key("k1"));
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().key(OTHER, "k1"))).as("other account").isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().material(ACCOUNT, "k1", 1))).hasValueSatisfying(
                m -> assertThat(m).containsExactly(1, 2, 3));
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().material(ACCOUNT, "k1", 2))).isEmpty();
    }

    @Test
    void updateKey_writesMutableFields_andRotationKeepsOldVersions() {
        w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key("k1"), new byte[] {1}));
        Instant later = T0.plusSeconds(3600);
        KmsKeyRecord changed = key("k1").withState(KmsKeyRecord.PENDING_DELETION, later, 7).withRotation(true, 90)
                .withPolicy("{\"p\":2}").rotated(2, later);
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().addVersion(ACCOUNT, "k1", 2, new byte[] {2}, later))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().addVersion(ACCOUNT, "k1", 2, new byte[] {3}, later))).as("raced").isFalse();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().updateKey(ACCOUNT, changed))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().updateKey(OTHER, changed))).as("other account").isFalse();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().key(ACCOUNT, "k1"))).contains(changed);
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().material(ACCOUNT, "k1", 1))).hasValueSatisfying(
                m -> assertThat(m).containsExactly(1));
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().material(ACCOUNT, "k1", 2))).hasValueSatisfying(
                m -> assertThat(m).containsExactly(2));
    }

    @Test
    void keys_pageById() {
        for (String id : List.of("c", "a", "b")) {
            w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key(id), new byte[] {1}));
        }
        w((MetadataStore.Tx tx) -> tx.kms().createKey(OTHER, key("z"), new byte[] {1}));
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().keys(ACCOUNT, null, 2))).extracting(KmsKeyRecord::keyId).containsExactly("a", "b");
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().keys(ACCOUNT, "b", 5))).extracting(KmsKeyRecord::keyId).containsExactly("c");
    }

    @Test
    void aliases_createListDelete_andGoWithTheirKey() {
        w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key("k1"), new byte[] {1}));
        w((MetadataStore.Tx tx) -> tx.kms().createKey(ACCOUNT, key("k2"), new byte[] {1}));
        KmsAliasRecord a = new KmsAliasRecord("alias/a", "k1", T0, T0);
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().createAlias(ACCOUNT, a))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().createAlias(ACCOUNT, new KmsAliasRecord("alias/a", "k2", T0, T0))))
                .as("taken").isFalse();
        w((MetadataStore.Tx tx) -> tx.kms().createAlias(ACCOUNT, new KmsAliasRecord("alias/b", "k2", T0, T0)));
        w((MetadataStore.Tx tx) -> tx.kms().createAlias(ACCOUNT, new KmsAliasRecord("alias/c", "k1", T0, T0)));
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().alias(ACCOUNT, "alias/a"))).contains(a);
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().alias(OTHER, "alias/a"))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().aliases(ACCOUNT, null, null, 2))).extracting(KmsAliasRecord::aliasName)
                .containsExactly("alias/a", "alias/b");
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().aliases(ACCOUNT, "k1", "alias/a", 5))).extracting(KmsAliasRecord::aliasName)
                .containsExactly("alias/c");
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().deleteAlias(ACCOUNT, "alias/b"))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.kms().deleteAlias(ACCOUNT, "alias/b"))).as("again").isFalse();
        w((MetadataStore.Tx tx) -> { tx.kms().deleteKey(ACCOUNT, "k1"); return null; });
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().key(ACCOUNT, "k1"))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().material(ACCOUNT, "k1", 1))).isEmpty();
        assertThat(r((MetadataStore.Tx tx) -> tx.kms().aliases(ACCOUNT, null, null, 10))).as("aliases of the deleted key go too")
                .isEmpty();
    }
}
