package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.PolicyStore.Kind;
import io.berth.core.spi.meta.PolicyStore.PolicyKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link PolicyStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractPolicyStoreContractTest extends AbstractStoreContractTest {

    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");
    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    private Optional<String> get(PolicyKey key) {
        return store.read(tx -> tx.policies().get(key));
    }

    private Optional<String> setting(RegistryId account, String name) {
        return store.read(tx -> tx.policies().setting(account, name));
    }

    private boolean attach(RegistryId account, String user, String arn) {
        return store.write(tx -> tx.policies().attach(account, user, arn));
    }

    private boolean detach(RegistryId account, String user, String arn) {
        return store.write(tx -> tx.policies().detach(account, user, arn));
    }

    private boolean delete(PolicyKey key) {
        return store.write(tx -> tx.policies().delete(key));
    }

    private List<String> attached(RegistryId account, String user) {
        return store.read(tx -> tx.policies().attached(account, user));
    }

    private List<PolicyKey> list(RegistryId account, Kind kind, String owner) {
        return store.read(tx -> tx.policies().list(account, kind, owner));
    }

    private long generation() {
        return store.read(tx -> tx.policies().generation());
    }

    @Test
    void put_thenGet_returnsDocumentPerKeyAndBumpsGeneration() {
        long g0 = generation();
        PolicyKey repo = PolicyKey.repository(ACCOUNT, "team/app");
        store.write(tx -> { tx.policies().put(repo, DOC); return null; });
        assertThat(generation()).as("generation after a put").isGreaterThan(g0);
        assertThat(get(repo)).contains(DOC);
        assertThat(get(PolicyKey.repository(OTHER, "team/app")))
                .as("same repository name in another account").isEmpty();
        assertThat(get(PolicyKey.registry(ACCOUNT))).isEmpty();
    }

    @Test
    void put_existingKey_replacesDocument() {
        PolicyKey reg = PolicyKey.registry(ACCOUNT);
        store.write(tx -> { tx.policies().put(reg, DOC); return null; });
        store.write(tx -> { tx.policies().put(reg, "{\"v\":2}"); return null; });
        assertThat(get(reg)).contains("{\"v\":2}");
    }

    @Test
    void delete_reportsWhetherItExistedAndOnlyThenBumps() {
        PolicyKey key = PolicyKey.userInline(ACCOUNT, "alice", "pull");
        store.write(tx -> { tx.policies().put(key, DOC); return null; });
        long g = generation();
        assertThat(delete(key)).as("first delete").isTrue();
        long afterDelete = generation();
        assertThat(afterDelete).isGreaterThan(g);
        assertThat(delete(key)).as("second delete").isFalse();
        assertThat(generation()).as("a no-op delete leaves the generation").isEqualTo(afterDelete);
        assertThat(get(key)).isEmpty();
    }

    @Test
    void list_byOwnerOrAll_inOwnerNameOrder() {
        store.write(tx -> {
            tx.policies().put(PolicyKey.userInline(ACCOUNT, "bob", "b"), DOC);
            tx.policies().put(PolicyKey.userInline(ACCOUNT, "alice", "z"), DOC);
            tx.policies().put(PolicyKey.userInline(ACCOUNT, "alice", "a"), DOC);
            tx.policies().put(PolicyKey.userInline(OTHER, "alice", "x"), DOC);
            tx.policies().put(PolicyKey.managed(ACCOUNT, "m"), DOC);
            return null;
        });
        assertThat(list(ACCOUNT, Kind.USER_INLINE, "alice"))
                .extracting(PolicyKey::name).containsExactly("a", "z");
        assertThat(list(ACCOUNT, Kind.USER_INLINE, null))
                .extracting(k -> k.owner() + "/" + k.name()).containsExactly("alice/a", "alice/z", "bob/b");
        assertThat(list(ACCOUNT, Kind.MANAGED, null))
                .containsExactly(PolicyKey.managed(ACCOUNT, "m"));
        assertThat(list(OTHER, Kind.REPOSITORY, null)).isEmpty();
    }

    @Test
    void attach_isIdempotentAndDetachReportsPresence() {
        String arn = "arn:aws:iam::111122223333:policy/pull";
        assertThat(attach(ACCOUNT, "alice", arn)).isTrue();
        assertThat(attach(ACCOUNT, "alice", arn)).as("second attach").isFalse();
        assertThat(attached(ACCOUNT, "alice")).containsExactly(arn);
        assertThat(attached(ACCOUNT, "bob")).isEmpty();
        long g = generation();
        assertThat(detach(ACCOUNT, "alice", arn)).isTrue();
        assertThat(generation()).isGreaterThan(g);
        assertThat(detach(ACCOUNT, "alice", arn)).isFalse();
        assertThat(attached(ACCOUNT, "alice")).isEqualTo(List.of());
    }

    @Test
    void setting_putReplacesPerAccount() {
        assertThat(setting(ACCOUNT, "REGISTRY_POLICY_SCOPE")).isEmpty();
        long g = generation();
        store.write(tx -> { tx.policies().putSetting(ACCOUNT, "REGISTRY_POLICY_SCOPE", "V1"); return null; });
        store.write(tx -> { tx.policies().putSetting(ACCOUNT, "REGISTRY_POLICY_SCOPE", "V2"); return null; });
        assertThat(generation()).as("settings change how policies apply: they bump too").isEqualTo(g + 2);
        assertThat(setting(ACCOUNT, "REGISTRY_POLICY_SCOPE")).contains("V2");
        assertThat(setting(OTHER, "REGISTRY_POLICY_SCOPE"))
                .isEqualTo(Optional.empty());
    }

    @Test
    void write_rolledBack_leavesNeitherPolicyNorGeneration() {
        long g = generation();
        PolicyKey key = PolicyKey.managed(ACCOUNT, "gone");
        try {
            store.write(tx -> {
                tx.policies().put(key, DOC);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("abort");
        }
        assertThat(get(key)).isEmpty();
        assertThat(generation()).isEqualTo(g);
    }
}
