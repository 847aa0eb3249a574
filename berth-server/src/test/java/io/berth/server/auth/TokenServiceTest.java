package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.auth.Principal;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.model.RegistryId;
import io.berth.server.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
    static final MasterKey KEY = MasterKey.of(filled((byte) 7));
    static final RegistryId ACCOUNT = new RegistryId("111122223333");

    static byte[] filled(byte b) {
        byte[] k = new byte[32];
        Arrays.fill(k, b);
        return k;
    }

    static final TokenService.Binding HERE = new TokenService.Binding("0123456789abcdef0123456789abcdef",
            "us-east-1");

    static TokenService at(Instant t, MasterKey key) {
        return new TokenService(key, HERE, ActivePrincipals.ANY, Clock.fixed(t, ZoneOffset.UTC));
    }

    @Test
    void issue_thenVerify_returnsSamePrincipalAndExpiresIn12Hours() {
        Principal alice = Principal.user(ACCOUNT, "alice", "AKIAAAAAAAAAAAAAAAAA");
        TokenService.Token t = at(NOW, KEY).issue(alice);
        assertThat(t.expiresAt()).as("expiry of a token issued at %s", NOW).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(at(NOW.plusSeconds(3600), KEY).verify(t.password())).as("verify a fresh user token on another node")
                .isEqualTo(alice);
        Principal root = Principal.root(ACCOUNT, "AKIABBBBBBBBBBBBBBBB");
        assertThat(at(NOW, KEY).verify(at(NOW, KEY).issue(root).password())).as("root token").isEqualTo(root);
    }

    @Test
    void tokenOfAServedRegion_worksThereOnly() {
        Principal alice = Principal.user(ACCOUNT, "alice", "AKIAAAAAAAAAAAAAAAAA");
        String west = at(NOW, KEY).issue(alice, "eu-west-1").password();
        assertThat(at(NOW, KEY).verify(west, "eu-west-1")).isEqualTo(alice);
        assertThatThrownBy(() -> at(NOW, KEY).verify(west, "us-east-1")).as("in the default region")
                .hasMessageContaining("issued for region eu-west-1, not us-east-1");
        assertThatThrownBy(() -> at(NOW, KEY).verify(west)).as("a default-region check").isInstanceOf(
                io.berth.core.error.RegistryException.class);
        String east = at(NOW, KEY).issue(alice, "us-east-1").password();
        assertThat(east).as("the default region's token is as before").isEqualTo(at(NOW, KEY).issue(alice).password());
        assertThatThrownBy(() -> at(NOW, KEY).verify(east, "eu-west-1")).hasMessageContaining("issued for region us-east-1");
    }

    @Test
    void authorizationToken_isBase64OfAwsColonPassword() {
        TokenService.Token t = at(NOW, KEY).issue(Principal.root(ACCOUNT, null));
        assertThat(new String(Base64.getDecoder().decode(t.authorizationToken()), StandardCharsets.UTF_8))
                .as("decoded authorizationToken").isEqualTo("AWS:" + t.password());
    }

    @Test
    void verify_afterTwelveHours_unauthorized() {
        TokenService.Token t = at(NOW, KEY).issue(Principal.root(ACCOUNT, null));
        TokenService later = at(NOW.plus(Duration.ofHours(12)), KEY);
        assertThatThrownBy(() -> later.verify(t.password())).as("verify exactly at expiry")
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(
                        ErrorCode.UNAUTHORIZED));
    }

    @Test
    void verify_cachedTokenAfterExpiry_unauthorized() {
        TokenService.Token t = at(NOW, KEY).issue(Principal.root(ACCOUNT, null));
        MutableClock clock = new MutableClock(NOW);
        TokenService s = new TokenService(KEY, HERE, ActivePrincipals.ANY, clock);
        s.verify(t.password()); // now cached
        clock.now = NOW.plus(Duration.ofHours(13));
        assertThatThrownBy(() -> s.verify(t.password())).as("a cached token once expired")
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void verify_forgedOrTamperedOrOtherKey_unauthorized() {
        TokenService s = at(NOW, KEY);
        String good = s.issue(Principal.root(ACCOUNT, null)).password();
        String body = good.substring(3, good.lastIndexOf('.'));
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(Base64.getUrlDecoder()
                .decode(body), StandardCharsets.UTF_8).replace("111122223333", "444455556666")
                .getBytes(StandardCharsets.UTF_8));
        String[] forged = {
                "v1." + other + good.substring(good.lastIndexOf('.')),           // other account, old MAC
                good.substring(0, good.length() - 2) + "AA",                      // MAC altered
                at(NOW, MasterKey.of(filled((byte) 8))).issue(Principal.root(ACCOUNT, null)).password(), // other key
                "garbage", "", "v1..", "v1.!!!.###"};
        for (String f : forged) {
            assertThatThrownBy(() -> s.verify(f)).as("verify forged token '%s'", f)
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(
                            ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void verify_tokenOfAnotherDeploymentOrRegion_sameMasterKey_unauthorized() {
        Principal root = Principal.root(ACCOUNT, "AKIABBBBBBBBBBBBBBBB");
        TokenService here = at(NOW, KEY);
        for (TokenService.Binding elsewhere : new TokenService.Binding[] {
                new TokenService.Binding("fedcba9876543210fedcba9876543210", "us-east-1"),
                new TokenService.Binding(HERE.deploymentId(), "eu-west-1")}) {
            String token = new TokenService(KEY, elsewhere, ActivePrincipals.ANY, Clock.fixed(NOW, ZoneOffset.UTC))
                    .issue(root).password();
            assertThatThrownBy(() -> here.verify(token)).as("token issued by %s, verified by %s", elsewhere, HERE)
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(
                            ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void verify_principalNoLongerActive_unauthorizedEvenWhenCached() {
        Principal alice = Principal.user(ACCOUNT, "alice", "AKIAAAAAAAAAAAAAAAAA");
        boolean[] active = {true};
        MutableClock clock = new MutableClock(NOW);
        TokenService s = new TokenService(KEY, HERE, new ActivePrincipals(p -> active[0], clock), clock);
        String token = s.issue(alice).password();
        assertThat(s.verify(token)).as("token of an active user").isEqualTo(alice);
        active[0] = false; // revoked
        assertThat(s.verify(token)).as("within the activity cache's TTL the answer is remembered").isEqualTo(alice);
        clock.now = NOW.plus(ActivePrincipals.TTL);
        assertThatThrownBy(() -> s.verify(token)).as("token of a revoked user once the TTL passed")
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(
                        ErrorCode.UNAUTHORIZED));
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) { this.now = now; }

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
