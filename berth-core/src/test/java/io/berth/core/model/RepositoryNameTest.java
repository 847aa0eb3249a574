package io.berth.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"ab", "library/alpine", "a.b_c-d/e0/f", "team-a/app.web/nginx", "a__b", "a---b/c_d"})
    void of_validNames_accepted(String name) {
        assertThat(RepositoryName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Alpine", "library/Alpine", "a..b", "a/../b", "../ab", "/ab", "ab/", "a//b",
            "a__b_", "a___b", "a._b", "-ab", "ab-", "a b", "ab\u00e9"})
    void of_invalidNames_nameInvalid(String name) {
        assertThatThrownBy(() -> RepositoryName.of(name)).as("name %s", name)
                .isInstanceOf(RegistryException.class)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void of_lengthBounds_256AcceptedAnd257Refused() {
        assertThat(RepositoryName.of("a".repeat(256)).value()).hasSize(256);
        assertThatThrownBy(() -> RepositoryName.of("a".repeat(257))).isInstanceOf(RegistryException.class);
    }

    @Test
    void stored_isTheSameValueAsOf_withoutTheCheck() {
        RepositoryName checked = RepositoryName.of("team/app");
        RepositoryName stored = RepositoryName.stored("team/app");
        assertThat(stored).isEqualTo(checked).hasSameHashCodeAs(checked).hasToString("team/app");
        assertThat(stored.compareTo(RepositoryName.of("team/apq"))).isNegative();
        assertThat(RepositoryName.stored("Not/Checked").value()).as("the store's word is taken").isEqualTo("Not/Checked");
        assertThat(checked).isNotEqualTo("team/app");
    }

    @Test
    void tag_ociRule_enforced() {
        assertThat(Tag.of("v1.0_rc-1").value()).isEqualTo("v1.0_rc-1");
        assertThat(Tag.of("_x").value()).isEqualTo("_x");
        assertThatThrownBy(() -> Tag.of(".x")).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> Tag.of("a".repeat(129))).isInstanceOf(RegistryException.class);
        assertThat(Tag.of("a".repeat(128)).value()).hasSize(128);
    }
}
