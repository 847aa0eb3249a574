package io.berth.core.spi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore.AccessKeyRecord;
import io.berth.core.spi.meta.IdentityStore.AccountRecord;
import io.berth.core.spi.meta.IdentityStore.Status;
import io.berth.core.spi.meta.IdentityStore.UserRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link IdentityStore} behaviour every {@link MetadataStore} backend must have. Backends subclass in one line. */
public abstract class AbstractIdentityStoreContractTest extends AbstractStoreContractTest {

    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final RegistryId OTHER = new RegistryId("444455556666");
    private static final byte[] CIPHERTEXT = {1, 2, 3, 0, -1, 127};

    private static UserRecord user(RegistryId account, String name, String userId) {
        return new UserRecord(account, name, userId, Status.ACTIVE, T0);
    }

    private static AccessKeyRecord key(String id, RegistryId account, String user) {
        return new AccessKeyRecord(id, account, user, CIPHERTEXT, Status.ACTIVE, T0);
    }

    private List<UserRecord> users(RegistryId account) {
        return store.read(tx -> tx.identities().listUsers(account));
    }

    private java.util.Optional<UserRecord> user(RegistryId account, String name) {
        return store.read(tx -> tx.identities().getUser(account, name));
    }

    private List<AccessKeyRecord> keys(RegistryId account) {
        return store.read(tx -> tx.identities().listAccessKeys(account));
    }

    private java.util.Optional<AccessKeyRecord> key(String id) {
        return store.read(tx -> tx.identities().getAccessKey(id));
    }

    @Test
    void createAccount_twice_secondReturnsFalseAndOneRowExists() {
        boolean first = store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0)));
        boolean second = store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0.plusSeconds(5))));
        List<AccountRecord> all = store.read(tx -> tx.identities().listAccounts());
        assertThat(first).as("first createAccount(%s)", ACCOUNT).isTrue();
        assertThat(second).as("second createAccount(%s)", ACCOUNT).isFalse();
        assertThat(all).as("listAccounts after creating %s twice", ACCOUNT)
                .containsExactly(new AccountRecord(ACCOUNT, T0));
    }

    @Test
    void createUser_sameNameTwiceOrOtherAccount_uniquePerAccount() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0))
                && tx.identities().createAccount(new AccountRecord(OTHER, T0)));
        boolean alice = store.write(tx -> tx.identities().createUser(user(ACCOUNT, "alice", "AIDA1")));
        boolean again = store.write(tx -> tx.identities().createUser(user(ACCOUNT, "alice", "AIDA2")));
        boolean otherAccount = store.write(tx -> tx.identities().createUser(user(OTHER, "alice", "AIDA3")));
        store.write(tx -> tx.identities().createUser(user(ACCOUNT, "bob", "AIDA4")));
        assertThat(alice).as("create alice in %s", ACCOUNT).isTrue();
        assertThat(again).as("create alice again in %s", ACCOUNT).isFalse();
        assertThat(otherAccount).as("create alice in another account").isTrue();
        assertThat(users(ACCOUNT)).as("users of %s in name order", ACCOUNT)
                .extracting(UserRecord::name, UserRecord::userId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", "AIDA1"),
                        org.assertj.core.groups.Tuple.tuple("bob", "AIDA4"));
        assertThat(user(ACCOUNT, "nobody")).as("unknown user").isEmpty();
    }

    @Test
    void consolePassword_setReplaceDelete_onlyForAnExistingUser() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0))
                && tx.identities().createUser(user(ACCOUNT, "alice", "AIDA1")));
        java.util.Optional<String> before = password(ACCOUNT, "alice");
        boolean set = store.write(tx -> tx.identities().setConsolePassword(ACCOUNT, "alice", "hash-1", T0));
        boolean replaced = store.write(tx -> tx.identities().setConsolePassword(ACCOUNT, "alice", "hash-2", T0));
        boolean unknown = store.write(tx -> tx.identities().setConsolePassword(ACCOUNT, "nobody", "hash", T0));
        java.util.Optional<String> after = password(ACCOUNT, "alice");
        java.util.Optional<String> otherAccount = password(OTHER, "alice");
        boolean deleted = store.write(tx -> tx.identities().deleteConsolePassword(ACCOUNT, "alice"));
        boolean again = store.write(tx -> tx.identities().deleteConsolePassword(ACCOUNT, "alice"));
        assertThat(before).as("no password yet").isEmpty();
        assertThat(set).as("set").isTrue();
        assertThat(replaced).as("replace").isTrue();
        assertThat(unknown).as("unknown user").isFalse();
        assertThat(after).as("after replacing").hasValue("hash-2");
        assertThat(otherAccount).as("same name, other account").isEmpty();
        assertThat(deleted).as("delete").isTrue();
        assertThat(again).as("delete again").isFalse();
        assertThat(password(ACCOUNT, "alice")).as("after deleting").isEmpty();
    }

    private java.util.Optional<String> password(RegistryId account, String name) {
        return store.read(tx -> tx.identities().consolePassword(account, name));
    }

    @Test
    void setUserStatus_revoked_readBackRevoked() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0))
                && tx.identities().createUser(user(ACCOUNT, "alice", "AIDA1")));
        boolean changed = store.write(tx -> tx.identities().setUserStatus(ACCOUNT, "alice", Status.REVOKED));
        boolean missing = store.write(tx -> tx.identities().setUserStatus(ACCOUNT, "nobody", Status.REVOKED));
        assertThat(changed).as("revoke existing user").isTrue();
        assertThat(missing).as("revoke unknown user").isFalse();
        assertThat(user(ACCOUNT, "alice"))
                .as("alice after revoking").hasValueSatisfying(u -> assertThat(u.status()).isEqualTo(Status.REVOKED));
    }

    @Test
    void createAccessKey_rootAndUser_readBackWithCiphertextIntact() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0))
                && tx.identities().createUser(user(ACCOUNT, "alice", "AIDA1")));
        store.write(tx -> {
            tx.identities().createAccessKey(key("AKIAROOT000000000001", ACCOUNT, null));
            tx.identities().createAccessKey(new AccessKeyRecord("AKIAUSER000000000002", ACCOUNT, "alice",
                    CIPHERTEXT, Status.ACTIVE, T0.plusSeconds(1)));
            return null;
        });
        AccessKeyRecord root = store.read(tx -> tx.identities().getAccessKey("AKIAROOT000000000001")).orElseThrow();
        assertThat(root.isRoot()).as("key without user is root").isTrue();
        assertThat(root.account()).as("root key's account").isEqualTo(ACCOUNT);
        assertThat(root.encryptedSecret()).as("ciphertext round trip").containsExactly(CIPHERTEXT);
        assertThat(keys(ACCOUNT))
                .as("keys of %s in creation order", ACCOUNT)
                .extracting(AccessKeyRecord::accessKeyId, AccessKeyRecord::userName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AKIAROOT000000000001", null),
                        org.assertj.core.groups.Tuple.tuple("AKIAUSER000000000002", "alice"));
        assertThat(keys(OTHER)).as("keys of another account").isEmpty();
        assertThat(key("AKIANOPE000000000000")).as("unknown key").isEmpty();
    }

    @Test
    void createAccessKey_duplicateIdOrUnknownUser_fails() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0)));
        store.write(tx -> {
            tx.identities().createAccessKey(key("AKIAROOT000000000001", ACCOUNT, null));
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.identities().createAccessKey(key("AKIAROOT000000000001", ACCOUNT, null));
            return null;
        })).as("reusing an access key ID").isInstanceOf(MetadataException.class);
        assertThatThrownBy(() -> store.write(tx -> {
            tx.identities().createAccessKey(key("AKIAUSER000000000009", ACCOUNT, "ghost"));
            return null;
        })).as("a key for a user that does not exist").isInstanceOf(MetadataException.class);
    }

    @Test
    void setAccessKeyStatus_revoked_readBackRevoked() {
        store.write(tx -> tx.identities().createAccount(new AccountRecord(ACCOUNT, T0)));
        store.write(tx -> {
            tx.identities().createAccessKey(key("AKIAROOT000000000001", ACCOUNT, null));
            return null;
        });
        boolean changed = store.write(tx -> tx.identities().setAccessKeyStatus("AKIAROOT000000000001",
                Status.REVOKED));
        boolean missing = store.write(tx -> tx.identities().setAccessKeyStatus("AKIANOPE000000000000",
                Status.REVOKED));
        assertThat(changed).as("revoke existing key").isTrue();
        assertThat(missing).as("revoke unknown key").isFalse();
        assertThat(store.read(tx -> tx.identities().getAccessKey("AKIAROOT000000000001")).orElseThrow().status())
                .as("status after revoking").isEqualTo(Status.REVOKED);
    }

    @Test
    void deploymentId_madeWithTheSchema_stableAcrossTransactions() {
        String first = store.read(tx -> tx.identities().deploymentId());
        String again = store.write(tx -> tx.identities().deploymentId());
        assertThat(first).as("deployment ID of a new database").matches("[0-9a-f]{32}");
        assertThat(again).as("deployment ID read again in a write transaction").isEqualTo(first);
    }
}
