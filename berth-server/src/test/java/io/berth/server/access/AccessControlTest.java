package io.berth.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.PolicyParser;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The denial answers: AWS's message forms, and 401 rather than 403 for anonymous callers. */
class AccessControlTest {
    private static final RegistryId A = new RegistryId("111122223333");
    private static final RegistryId B = new RegistryId("444455556666");
    private static final String REPO_ARN = "arn:aws:ecr:us-east-1:111122223333:repository/app";

    @TempDir
    Path dir;
    private MetadataStore store;
    private Policies policies;
    private AccessControl access;

    @BeforeEach
    void open() {
        store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
        PolicyCache cache = new PolicyCache(store);
        policies = new Policies(store, cache);
        access = new AccessControl(cache, store, "us-east-1", Clock.systemUTC());
        store.write(tx -> tx.identities().createAccount(new IdentityStore.AccountRecord(A, Instant.EPOCH)));
        store.write(tx -> tx.identities().createAccount(new IdentityStore.AccountRecord(B, Instant.EPOCH)));
        store.write(tx -> tx.identities().createUser(new IdentityStore.UserRecord(B, "bob", "AIDABOB",
                IdentityStore.Status.ACTIVE, Instant.EPOCH)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String denial(Principal p) {
        try {
            access.require(p, "ecr:BatchGetImage", A, "app", AccessControl.Origin.UNKNOWN);
        } catch (RegistryException e) {
            assertThat(e.code()).as("code for %s", p.arn()).isEqualTo(ErrorCode.DENIED);
            return e.getMessage();
        }
        throw new AssertionError("expected a denial for " + p.arn());
    }

    @Test
    void require_crossAccountRootWithoutResourceGrant_namesTheResourceSide() {
        assertThat(denial(Principal.root(B, "AKIA"))).isEqualTo("User: arn:aws:iam::444455556666:root is not "
                + "authorized to perform: ecr:BatchGetImage on resource: " + REPO_ARN
                + " because no resource-based policy allows the ecr:BatchGetImage action");
    }

    @Test
    void require_userWithoutIdentityPolicy_namesTheIdentitySide() {
        assertThat(denial(Principal.user(B, "bob", "AKIA"))).endsWith(
                "because no identity-based policy allows the ecr:BatchGetImage action");
    }

    @Test
    void require_explicitDenies_sayWhichKindOfPolicy() {
        policies.putUserPolicy(B, "bob", "deny", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}");
        assertThat(denial(Principal.user(B, "bob", "AKIA"))).endsWith(
                "on resource: " + REPO_ARN + " with an explicit deny in an identity-based policy");
        policies.setRepositoryPolicy(A, "app", PolicyParser.repository().parse("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"}]}"));
        assertThat(denial(Principal.root(A, "AKIA"))).as("the owner's root, denied by its repository policy")
                .endsWith("with an explicit deny in a resource-based policy");
    }

    @Test
    void require_anonymous_unauthorizedNot403() {
        assertThatThrownBy(() -> access.require(Principal.ANONYMOUS, "ecr:BatchGetImage", A, "app",
                AccessControl.Origin.UNKNOWN)).as("anonymous without a public policy")
                .isInstanceOfSatisfying(RegistryException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @Test
    void putRegistryPolicy_underV1_refusesOtherActions() {
        policies.setRegistryPolicyScope(A, "V1");
        assertThatThrownBy(() -> policies.putRegistryPolicy(A, "{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"ecr:*\"}]}"))
                .as("ecr:* under V1").isInstanceOfSatisfying(RegistryException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
        policies.putRegistryPolicy(A, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"ecr:ReplicateImage\","
                + "\"ecr:CreateRepository\"]}]}");
        assertThat(policies.registryPolicy(A)).as("the V1 actions are accepted").isPresent();
    }
}
