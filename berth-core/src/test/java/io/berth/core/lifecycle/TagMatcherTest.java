package io.berth.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ECR's tag wildcard: {@code *} matches zero or more characters, anything else (including {@code ?}) itself. */
class TagMatcherTest {

    @ParameterizedTest(name = "{0} against {1} = {2}")
    @CsvSource({
            "*test*1*2*3, my-test-1-2-3, true",
            "*test*1*2*3, test123, true",
            "test*1*2*3*, test-1-2-3-rest, true",
            "*test*1*2*3, test-1-3-2, false",
            "prod*, prod, true",
            "prod*, pro, false",
            "*, '', true",
            "a*a*a, aaa, true",
            "a*a*a, aa, false",
            "v?, v1, false",
            "v?, v?, true",
            "latest, latest, true",
            "latest, latest2, false",
            "*-2024, rc-2024, true",
            "*-2024, rc-2024-1, false",
    })
    void starMatchesZeroOrMoreCharacters(String pattern, String tag, boolean expected) {
        assertThat(TagMatcher.globMatches(pattern, tag)).as("pattern %s against tag %s", pattern, tag)
                .isEqualTo(expected);
    }
}
