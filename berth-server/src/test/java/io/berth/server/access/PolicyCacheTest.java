package io.berth.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import io.berth.core.policy.PolicyParser;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caching and invalidation: parsed once, dropped at once by a local change, and within one poll interval by a
 * change another node (another cache over the same database) made. Reads are counted to show the hot path's cost.
 */
class PolicyCacheTest {
    private static final RegistryId ACCOUNT = new RegistryId("111122223333");
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"ecr:*\"}]}";
    private static final String DENY_PULL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"}]}";

    @TempDir
    Path dir;

    private MetadataStore raw;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private MetadataStore counting;

    @BeforeEach
    void open() {
        raw = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
        counting = new MetadataStore() {
            @Override public <T> T read(Function<Tx, T> work) { reads.incrementAndGet(); return raw.read(work); }
            @Override public <T> T write(Function<Tx, T> work) { return raw.write(work); }
            @Override public String describe() { return raw.describe(); }
            @Override public void checkHealth() { raw.checkHealth(); }
            @Override public void close() { }
        };
    }

    @AfterEach
    void close() {
        raw.close();
    }

    private PolicyCache cache() {
        return new PolicyCache(counting, nanos::get, Duration.ofSeconds(1));
    }

    @Test
    void account_noPolicies_cachedWithoutFurtherReadsWithinPoll() {
        PolicyCache cache = cache();
        AccessControl access = new AccessControl(cache, counting, "us-east-1", Clock.systemUTC());
        Principal root = Principal.root(ACCOUNT, "AKIA");
        assertThat(access.allowed(root, "ecr:BatchGetImage", ACCOUNT, "app", AccessControl.Origin.UNKNOWN))
                .as("own root, no policies").isTrue();
        int afterFirst = reads.get();
        for (int i = 0; i < 1000; i++) {
            access.allowed(root, "ecr:BatchGetImage", ACCOUNT, "app", AccessControl.Origin.UNKNOWN);
        }
        assertThat(reads.get()).as("database reads for 1000 further decisions within one poll interval")
                .isEqualTo(afterFirst);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        access.allowed(root, "ecr:BatchGetImage", ACCOUNT, "app", AccessControl.Origin.UNKNOWN);
        assertThat(reads.get()).as("after the poll interval: one generation read, nothing else changed")
                .isEqualTo(afterFirst + 1);
    }

    @Test
    void repositoryPolicy_changedByAnotherNode_seenAfterPollInterval() {
        PolicyCache mine = cache();
        Policies otherNode = new Policies(raw, new PolicyCache(raw));
        otherNode.setRepositoryPolicy(ACCOUNT, "app", PolicyParser.repository().parse(ALLOW_ALL));
        assertThat(mine.repositoryPolicy(ACCOUNT, "app")).as("first load").isPresent()
                .hasValueSatisfying(d -> assertThat(d.text()).isEqualTo(ALLOW_ALL));
        otherNode.setRepositoryPolicy(ACCOUNT, "app", PolicyParser.repository().parse(DENY_PULL));
        assertThat(mine.repositoryPolicy(ACCOUNT, "app").orElseThrow().text())
                .as("within the poll interval the cached (stale) policy is served").isEqualTo(ALLOW_ALL);
        nanos.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(mine.repositoryPolicy(ACCOUNT, "app").orElseThrow().text())
                .as("after the poll interval the other node's change is seen").isEqualTo(DENY_PULL);
        otherNode.deleteRepositoryPolicy(ACCOUNT, "app");
        nanos.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(mine.repositoryPolicy(ACCOUNT, "app")).as("after delete + poll").isEmpty();
    }

    @Test
    void localChange_invalidatesImmediately() {
        PolicyCache cache = cache();
        Policies policies = new Policies(counting, cache);
        assertThat(cache.account(ACCOUNT).hasResourcePolicies()).as("before").isFalse();
        policies.putRegistryPolicy(ACCOUNT, ALLOW_ALL);
        assertThat(cache.account(ACCOUNT).registryPolicy()).as("registry policy right after the local put")
                .isPresent();
        policies.setRegistryPolicyScope(ACCOUNT, "V1");
        assertThat(cache.account(ACCOUNT).scopeV1()).as("scope right after the local change").isTrue();
    }

    @Test
    void identityPolicies_inlineAndAttached_reloadedAfterDetach() {
        raw.write(tx -> tx.identities().createAccount(
                new io.berth.core.spi.meta.IdentityStore.AccountRecord(ACCOUNT, java.time.Instant.EPOCH)));
        raw.write(tx -> tx.identities().createUser(new io.berth.core.spi.meta.IdentityStore.UserRecord(ACCOUNT,
                "alice", "AIDAEXAMPLE", io.berth.core.spi.meta.IdentityStore.Status.ACTIVE, java.time.Instant.EPOCH)));
        PolicyCache cache = cache();
        Policies policies = new Policies(counting, cache);
        String identity = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\","
                + "\"Resource\":\"*\"}]}";
        policies.putUserPolicy(ACCOUNT, "alice", "inline", identity);
        String arn = policies.createPolicy(ACCOUNT, "managed", identity);
        policies.attachUserPolicy(ACCOUNT, "alice", arn);
        Principal alice = Principal.user(ACCOUNT, "alice", "AKIA");
        assertThat(cache.identityPolicies(alice)).as("inline + attached").hasSize(2);
        policies.detachUserPolicy(ACCOUNT, "alice", arn);
        assertThat(cache.identityPolicies(alice)).as("after detach").hasSize(1);
        assertThat(cache.identityPolicies(Principal.root(ACCOUNT, "AKIA"))).as("root has none").isEmpty();
    }
}
