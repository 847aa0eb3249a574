package io.berth.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.fuzz.SeedSplice;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the policy parser and evaluator with Jazzer (libFuzzer for the JVM): inputs evolve
 * towards new branches of the parser, from seeds that are valid documents. Every input must either parse and then
 * evaluate for every kind of caller, or be refused with INVALID_PARAMETER; anything else (an unhandled exception,
 * a stack overflow, a timeout) is a finding and fails the build, with the input saved for reproduction.
 *
 * <p>An ordinary build replays the saved inputs (the seeds, and every finding kept as a regression input under
 * {@code src/test/resources/.../PolicyParserJazzerTestInputs}), so it is reproducible. To fuzz for the 20 seconds:
 * {@code ./mvnw -pl berth-core test -Dberth.fuzz=1 -Dtest=PolicyParserJazzerTest} (about 75,000–240,000 inputs on
 * this project's 2-core machines).
 */
class PolicyParserJazzerTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong PARSED = new AtomicLong();
    private static final long START = System.nanoTime();

    @FuzzTest(maxDuration = "20s")
    void parseAndEvaluate_anyText_onlyDecidesOrRefusesWithInvalidParameter(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        PolicyParser parser = switch (data.consumeInt(0, 2)) {
            case 0 -> PolicyParser.repository();
            case 1 -> PolicyParser.registry();
            default -> PolicyParser.identity();
        };
        String text = data.consumeBoolean() && !PolicyFuzzTest.SEEDS.isEmpty()
                ? SeedSplice.splice(PolicyFuzzTest.SEEDS.get(data.consumeInt(0, PolicyFuzzTest.SEEDS.size() - 1)), data)
                : data.consumeRemainingAsString();
        PolicyDocument document;
        try {
            document = parser.parse(text);
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of %s", text).isEqualTo(ErrorCode.INVALID_PARAMETER);
            assertThat(e.getMessage()).startsWith("Invalid parameter at '");
            return;
        }
        PARSED.incrementAndGet();
        PolicyFuzzTest.evaluateAgainstEveryCaller(document);
    }


    @AfterAll
    static void report() {
        System.out.printf("PolicyParserJazzerTest: %d inputs in %d ms (%d parsed)%n", INPUTS.get(),
                (System.nanoTime() - START) / 1_000_000, PARSED.get());
    }
}
