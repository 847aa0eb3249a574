package io.berth.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagMutabilityTest {

    @Test
    void modes_withAndWithoutFilters() {
        List<String> filters = List.of("latest", "dev-*");
        assertThat(TagMutability.MUTABLE.isImmutable("v1", List.of())).isFalse();
        assertThat(TagMutability.IMMUTABLE.isImmutable("latest", List.of())).isTrue();
        assertThat(TagMutability.IMMUTABLE_WITH_EXCLUSION.isImmutable("latest", filters)).isFalse();
        assertThat(TagMutability.IMMUTABLE_WITH_EXCLUSION.isImmutable("dev-42", filters)).isFalse();
        assertThat(TagMutability.IMMUTABLE_WITH_EXCLUSION.isImmutable("v1", filters)).isTrue();
        assertThat(TagMutability.MUTABLE_WITH_EXCLUSION.isImmutable("dev-42", filters)).isTrue();
        assertThat(TagMutability.MUTABLE_WITH_EXCLUSION.isImmutable("latest2", filters)).isFalse();
    }

    @Test
    void wildcard_matchesAnyRun_andQuotesTheRest() {
        assertThat(TagMutability.matchesAny("abc", List.of("*"))).isTrue();
        assertThat(TagMutability.matchesAny("", List.of("*"))).isTrue();
        assertThat(TagMutability.matchesAny("v1.2", List.of("v*.*"))).isTrue();
        assertThat(TagMutability.matchesAny("v12", List.of("v*.*"))).isFalse();
        assertThat(TagMutability.matchesAny("x-release", List.of("*release"))).isTrue();
        assertThat(TagMutability.matchesAny("release-x", List.of("*release"))).isFalse();
        assertThat(TagMutability.matchesAny("1a2", List.of("1.2"))).isFalse(); // '.' is literal
    }
}
