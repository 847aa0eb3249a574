package io.berth.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.model.RegistryId;
import org.junit.jupiter.api.Test;

/** {@link Principal#fromArn}: what a job re-resolves from an event's principal ARN. */
class PrincipalTest {
    private static final RegistryId A = new RegistryId("111122223333");

    @Test
    void fromArn_resolvesTheRootAndUsers_asTheyAuthenticate() {
        assertThat(Principal.fromArn("arn:aws:iam::111122223333:root")).contains(Principal.root(A, null));
        assertThat(Principal.fromArn("arn:aws:iam::111122223333:user/ci.bot@x")).hasValueSatisfying(p -> {
            assertThat(p).isEqualTo(Principal.user(A, "ci.bot@x", null));
            assertThat(p.arn()).isEqualTo("arn:aws:iam::111122223333:user/ci.bot@x");
        });
    }

    @Test
    void fromArn_refusesAnythingElse() {
        assertThat(Principal.fromArn(null)).isEmpty();
        assertThat(Principal.fromArn("anonymous")).isEmpty();
        assertThat(Principal.fromArn("berth:signer")).isEmpty();
        assertThat(Principal.fromArn("arn:aws:iam::1111:root")).as("short account").isEmpty();
        assertThat(Principal.fromArn("arn:aws:iam::111122223333:role/r")).isEmpty();
        assertThat(Principal.fromArn("arn:aws:iam::111122223333:user/a|b")).isEmpty();
        assertThat(Principal.fromArn("arn:aws:iam::111122223333:root\n")).isEmpty();
    }
}
