package io.berth.server.http.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.http.paging.PageCursors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzzing of ECR {@code nextToken}s as a client may send them: any text given to {@link NextToken#decode}
 * or {@link NextToken#openSealed} is accepted or refused with INVALID_PARAMETER (InvalidParameterException);
 * a sealed token opens only for the kind it was sealed for, to the key sealed. Saved inputs replay in ordinary
 * builds; {@code -Dberth.fuzz=1 -Dtest=NextTokenJazzerTest} fuzzes for 20 s.
 */
class NextTokenJazzerTest {
    private static final PageCursors CURSORS = PageCursors.ephemeral();
    private static final String[] KINDS = {"repo", "image", "list", "referrer"};
    private static final AtomicLong INPUTS = new AtomicLong();

    @FuzzTest(maxDuration = "20s")
    void decodeAndOpen_anyToken_keyOrInvalidParameter(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        String kind = KINDS[data.consumeInt(0, KINDS.length - 1)];
        String key = data.consumeString(200);
        boolean sealed = data.consumeBoolean();
        String token = sealed ? NextToken.sealed(CURSORS, kind, key) : data.consumeRemainingAsString();
        for (String k : new String[] {"repo", "image"}) {
            try {
                assertThat(NextToken.decode(k, token)).as("decoded key").isNotNull();
            } catch (RegistryException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
            }
            try {
                String opened = NextToken.openSealed(CURSORS, k, token);
                assertThat(sealed && k.equals(kind)).as("only a token sealed for kind %s opens", k).isTrue();
                assertThat(opened).isEqualTo(key);
            } catch (RegistryException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                assertThat(sealed && k.equals(kind)).as("a token sealed for %s refused", k).isFalse();
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("NextTokenJazzerTest: %d inputs%n", INPUTS.get());
    }
}
