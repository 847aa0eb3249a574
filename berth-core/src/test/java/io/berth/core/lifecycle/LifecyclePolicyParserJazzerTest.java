package io.berth.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.fuzz.SeedSplice;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the lifecycle policy parser with Jazzer, as {@code PolicyParserJazzerTest} does for
 * IAM policies: every input either parses into a policy that keeps the parser's promises, or is refused with
 * INVALID_PARAMETER and ECR's message prefix; anything else is a finding. An ordinary build replays the saved
 * inputs under {@code src/test/resources/.../LifecyclePolicyParserJazzerTestInputs}; to fuzz for 20 seconds:
 * {@code ./mvnw -pl berth-core test -Dberth.fuzz=1 -Dtest=LifecyclePolicyParserJazzerTest}.
 */
class LifecyclePolicyParserJazzerTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong PARSED = new AtomicLong();

    /** Valid documents covering every selection and action; fuzzer bytes are spliced into them. */
    static final List<String> SEEDS = List.of(
            LifecyclePolicyParserTest.policy(
                    LifecyclePolicyParserTest.rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"],"
                            + "\"countType\":\"sinceImagePulled\",\"countUnit\":\"days\",\"countNumber\":30",
                            LifecyclePolicyParserTest.ARCHIVE),
                    LifecyclePolicyParserTest.rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"dev\"],"
                            + "\"storageClass\":\"archive\",\"countType\":\"sinceImageTransitioned\","
                            + "\"countUnit\":\"days\",\"countNumber\":90", LifecyclePolicyParserTest.EXPIRE),
                    LifecyclePolicyParserTest.rule(3, LifecyclePolicyParserTest.UNTAGGED_COUNT,
                            LifecyclePolicyParserTest.EXPIRE),
                    LifecyclePolicyParserTest.rule(9, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\","
                            + "\"countUnit\":\"days\",\"countNumber\":5", LifecyclePolicyParserTest.EXPIRE)));

    @FuzzTest(maxDuration = "20s")
    void parse_anyText_parsesOrRefusesWithInvalidParameter(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        String text = data.consumeBoolean() ? SeedSplice.splice(SEEDS.get(data.consumeInt(0, SEEDS.size() - 1)), data)
                : data.consumeRemainingAsString();
        LifecyclePolicy policy;
        try {
            policy = LifecyclePolicyParser.parse(text);
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of %s", text).isEqualTo(ErrorCode.INVALID_PARAMETER);
            assertThat(e.getMessage()).as("message for %s", text).startsWith("Lifecycle policy validation failure: ");
            return;
        }
        PARSED.incrementAndGet();
        assertThat(policy.rules()).as("rules of %s", text).isNotEmpty().hasSizeLessThanOrEqualTo(50);
        assertThat(policy.rules()).allSatisfy(rule -> {
            assertThat(rule.rulePriority()).isPositive();
            assertThat(rule.selection().countNumber()).isPositive();
        });
    }


    @AfterAll
    static void report() {
        System.out.printf("LifecyclePolicyParserJazzerTest: %d inputs (%d parsed)%n", INPUTS.get(), PARSED.get());
    }
}
