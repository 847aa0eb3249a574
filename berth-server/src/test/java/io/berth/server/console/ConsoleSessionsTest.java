package io.berth.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.auth.Principal;
import io.berth.core.model.RegistryId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import io.berth.core.spi.meta.ConsoleSessionStore;
import io.berth.core.spi.meta.IdentityStore;
import io.berth.core.spi.meta.MetadataStore;
import io.berth.metadata.jdbc.JdbcConfig;
import io.berth.metadata.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSessionsTest {
    /** A clock the test moves. */
    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static final Principal ROOT = Principal.root(RegistryId.DEFAULT, "AKIAEXAMPLE");

    private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");
    @TempDir
    static Path dir;
    static MetadataStore store;

    @BeforeAll
    static void open() {
        store = JdbcMetadataStore.open(JdbcConfig.sqlite(dir.resolve("berth.db")));
        store.write(tx -> {
            tx.identities().createAccount(new IdentityStore.AccountRecord(RegistryId.DEFAULT, Instant.EPOCH));
            tx.identities().createUser(new IdentityStore.UserRecord(RegistryId.DEFAULT, "bob", "AIDABOB",
                    IdentityStore.Status.ACTIVE, Instant.EPOCH));
            tx.identities().createAccessKey(new IdentityStore.AccessKeyRecord("AKIAEXAMPLE", RegistryId.DEFAULT,
                    null, new byte[] {1}, IdentityStore.Status.ACTIVE, Instant.EPOCH));
            return null;
        });
    }

    @AfterAll
    static void close() { store.close(); }

    @BeforeEach
    void empty() { store.write(tx -> tx.consoleSessions().deleteExpired(FAR_FUTURE, FAR_FUTURE)); }

    @Test
    void everySignInGetsItsOwnRandomIdAndCsrfToken() {
        ConsoleSessions sessions = new ConsoleSessions(store, new Ticking());
        ConsoleSessions.Session a = sessions.start(ROOT);
        ConsoleSessions.Session b = sessions.start(ROOT);
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrf()).isNotEqualTo(b.csrf()).isNotEqualTo(a.id());
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(b.csrf())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(sessions.find("unknown")).isEmpty();
    }

    @Test
    void sessionsEndWhenIdleTooLongOrTooOldAndAtSignOut() {
        Ticking clock = new Ticking();
        ConsoleSessions sessions = new ConsoleSessions(store, clock);
        ConsoleSessions.Session idle = sessions.start(ROOT);
        ConsoleSessions.Session busy = sessions.start(ROOT);
        ConsoleSessions.Session out = sessions.start(ROOT);
        sessions.end(out.id());
        assertThat(sessions.find(out.id())).isEmpty();
        for (int i = 0; i < 20; i++) { // a request every 25 minutes keeps it alive, up to the maximum age
            clock.now = clock.now.plus(Duration.ofMinutes(25));
            assertThat(sessions.find(busy.id())).as("after %d requests", i).isEqualTo(
                    clock.now.isAfter(Instant.parse("2026-01-01T08:00:00Z")) ? java.util.Optional.empty()
                            : java.util.Optional.of(busy));
        }
        assertThat(sessions.find(idle.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void theDatabaseHoldsOnlyAHashOfTheIdAndARevokedUserLosesItsSession() {
        Ticking clock = new Ticking();
        ConsoleSessions sessions = new ConsoleSessions(store, clock);
        ConsoleSessions.Session bob = sessions.start(Principal.user(RegistryId.DEFAULT, "bob", null));
        java.util.Optional<ConsoleSessionStore.SessionRecord> byId = store.read(tx -> tx.consoleSessions()
                .get(bob.id()));
        java.util.Optional<ConsoleSessionStore.SessionRecord> byHash = store.read(tx -> tx.consoleSessions()
                .get(ConsoleSessions.idHash(bob.id())));
        assertThat(byId).as("the plain ID is no key").isEmpty();
        assertThat(byHash).hasValueSatisfying(r -> assertThat(r.userName()).isEqualTo("bob"));
        // another node over the same database (another ConsoleSessions) honours the cookie
        ConsoleSessions other = new ConsoleSessions(store, clock);
        assertThat(other.find(bob.id()).map(s -> s.principal().arn())).hasValue("arn:aws:iam::000000000000:user/bob");
        assertThat(other.find(bob.id()).orElseThrow().csrf()).isEqualTo(bob.csrf());
        store.write(tx -> tx.identities().setUserStatus(RegistryId.DEFAULT, "bob", IdentityStore.Status.REVOKED));
        try {
            assertThat(sessions.find(bob.id())).isEmpty();
            assertThat(sessions.size()).isZero(); // deleted, not only refused
        } finally {
            store.write(tx -> tx.identities().setUserStatus(RegistryId.DEFAULT, "bob", IdentityStore.Status.ACTIVE));
        }
    }

    @Test
    void fiveFailuresLockAnAddressOutForTheRestOfTheWindow() {
        Ticking clock = new Ticking();
        SignInThrottle throttle = new SignInThrottle(clock);
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEqualTo(60);
        assertThat(throttle.retryAfterSeconds("10.0.0.2")).as("another address").isZero();
        clock.now = clock.now.plusSeconds(59);
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEqualTo(1);
        clock.now = clock.now.plusSeconds(1);
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
        throttle.failed("10.0.0.1"); // a new window starts with one failure
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isZero();
    }
}
