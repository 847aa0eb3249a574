package io.berth.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.region.Regions;
import org.junit.jupiter.api.Test;

class RegistryIdTest {
    private static final RegistryId ACCOUNT = new RegistryId("123456789012");

    @Test
    void key_isTheAccountInTheDefaultRegion_andNamesAnyOther() {
        assertThat(ACCOUNT.key()).isEqualTo("123456789012");
        RegistryId west = ACCOUNT.inRegion("eu-west-1");
        assertThat(west.key()).isEqualTo("123456789012@eu-west-1");
        assertThat(RegistryId.ofKey(west.key())).isEqualTo(west);
        assertThat(RegistryId.ofKey("123456789012")).isEqualTo(ACCOUNT);
        assertThat(west.toString()).as("ARNs and registryId show the account").isEqualTo("123456789012");
        assertThat(west).isNotEqualTo(ACCOUNT);
        assertThat(west.sameAccount(ACCOUNT)).isTrue();
        assertThat(west.account()).isEqualTo(ACCOUNT);
    }

    @Test
    void badRegion_refused() {
        assertThatThrownBy(() -> ACCOUNT.inRegion("Mars")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryId.ofKey("123456789012@x/y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void regions_defaultIsRegionLess() {
        Regions r = Regions.of("us-east-1", "eu-west-1");
        assertThat(r.registry(ACCOUNT, "us-east-1")).isEqualTo(ACCOUNT);
        assertThat(r.registry("123456789012", "eu-west-1").region()).isEqualTo("eu-west-1");
        assertThat(r.nameOf(ACCOUNT)).isEqualTo("us-east-1");
        assertThat(r.nameOf(ACCOUNT.inRegion("eu-west-1"))).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> Regions.of("us-east-1", "us-east-1")).hasMessageContaining("twice");
    }
}
