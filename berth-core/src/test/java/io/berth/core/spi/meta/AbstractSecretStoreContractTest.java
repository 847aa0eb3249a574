package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link SecretStore} behaviour every backend must have. Backends subclass in one line. */
public abstract class AbstractSecretStoreContractTest extends AbstractStoreContractTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");

    private static SecretRecord secret(RegistryId account, String name) {
        return new SecretRecord(account, name, "arn:aws:secretsmanager:us-east-1:" + account + ":secret:" + name
                + "-AbCdEf", null, null, null, "arn:aws:iam::" + account + ":root", T0, T0, null, null, null);
    }

    private static SecretVersionRecord version(SecretRecord s, String id, int secondsLater) {
        return new SecretVersionRecord(s.arn(), id, null, false, new byte[] {1, 2, (byte) secondsLater},
                T0.plusSeconds(secondsLater));
    }

    @Test
    void create_get_byArn_andNameTakenOncePerAccount() {
        SecretRecord s = secret(ACCOUNT, "ecr-pullthroughcache/hub");
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().create(s))).isTrue();
        SecretRecord clash = new SecretRecord(ACCOUNT, s.name(), s.arn() + "x", "d", null, null, s.ownerArn(), T0,
                T0, null, null, null);
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().create(clash))).as("same name").isFalse();
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().create(secret(OTHER, s.name())))).as("other account")
                .isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().get(ACCOUNT, s.name()))).contains(s);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().byArn(s.arn()))).contains(s);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().byArn(clash.arn()))).isEmpty();
    }

    @Test
    void secretsArePerRegion_andReadBackWithTheirRegion() {
        RegistryId west = ACCOUNT.inRegion("eu-west-1");
        SecretRecord s = new SecretRecord(west, "ecr-pullthroughcache/hub", "arn:aws:secretsmanager:eu-west-1:"
                + ACCOUNT + ":secret:ecr-pullthroughcache/hub-AbCdEf", null, null, null,
                "arn:aws:iam::" + ACCOUNT + ":root", T0, T0, null, null, null);
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().create(s))).isTrue();
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().create(secret(ACCOUNT, s.name()))))
                .as("the same name in the default region").isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().get(west, s.name()))).contains(s);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().byArn(s.arn())).orElseThrow().account())
                .as("the region survives the round trip").isEqualTo(west);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().list(west, null, 10, true))).containsExactly(s);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().list(ACCOUNT, null, 10, true)))
                .extracting(SecretRecord::arn).doesNotContain(s.arn());
    }

    @Test
    void update_scheduledDeletion_andList_hidesItUnlessAsked() {
        SecretRecord a = secret(ACCOUNT, "a");
        SecretRecord b = secret(ACCOUNT, "b");
        for (SecretRecord s : List.of(b, a, secret(ACCOUNT, "c"), secret(OTHER, "z"))) {
            w((MetadataStore.Tx tx) -> tx.secrets().create(s));
        }
        SecretRecord deleted = b.changed("desc", "key", T0.plusSeconds(5)).deleted(T0.plusSeconds(6),
                T0.plusSeconds(3600));
        w((MetadataStore.Tx tx) -> {
            tx.secrets().update(deleted);
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().get(ACCOUNT, "b"))).contains(deleted);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().list(ACCOUNT, null, 10, false)))
                .extracting(SecretRecord::name).containsExactly("a", "c");
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().list(ACCOUNT, "a", 1, true)))
                .extracting(SecretRecord::name).containsExactly("b");
        SecretRecord restored = deleted.deleted(null, null);
        w((MetadataStore.Tx tx) -> {
            tx.secrets().update(restored);
            return null;
        });
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().get(ACCOUNT, "b")).orElseThrow().deletionDate())
                .isNull();
    }

    @Test
    void addCurrent_keepsCurrentAndPrevious_only() {
        SecretRecord s = secret(ACCOUNT, "v");
        w((MetadataStore.Tx tx) -> tx.secrets().create(s));
        for (int i = 1; i <= 3; i++) {
            SecretVersionRecord v = version(s, "version-" + i, i);
            w((MetadataStore.Tx tx) -> {
                tx.secrets().addCurrent(v);
                return null;
            });
        }
        List<SecretVersionRecord> versions = r((MetadataStore.Tx tx) -> tx.secrets().versions(s.arn()));
        assertThat(versions).extracting(SecretVersionRecord::versionId).containsExactly("version-3", "version-2");
        assertThat(versions).extracting(SecretVersionRecord::stage)
                .containsExactly(SecretVersionRecord.CURRENT, SecretVersionRecord.PREVIOUS);
        assertThat(versions.get(0).sealed()).containsExactly(1, 2, 3);
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().version(s.arn(), "version-1"))).isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().delete(s.arn()))).isTrue();
        assertThat(r((MetadataStore.Tx tx) -> tx.secrets().versions(s.arn()))).as("versions go with it").isEmpty();
        assertThat(w((MetadataStore.Tx tx) -> tx.secrets().delete(s.arn()))).as("again").isFalse();
    }
}
