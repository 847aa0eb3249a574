package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Authenticator.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;

/**
 * Coverage-guided fuzzing (Jazzer) of the SigV4 parser and verifier: the {@code Authorization} header, the
 * presigned query, the dates and the credential scope, each either random or spliced into an SDK-signed request.
 * Every input must either verify (returning the key) or be refused with one of the authentication error codes;
 * anything else escaping (a parse exception, an index error, a 500) is a finding.
 *
 * <p>An ordinary build replays the inputs saved under {@code src/test/resources/.../SigV4VerifierJazzerTestInputs};
 * {@code ./mvnw -pl berth-server -am test -Dberth.fuzz=1 -Dtest=SigV4VerifierJazzerTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for 20 seconds.
 */
class SigV4VerifierJazzerTest {
    private static final Set<ErrorCode> AUTH_ERRORS = Set.of(ErrorCode.AUTHENTICATION_MISSING, ErrorCode.UNAUTHORIZED,
            ErrorCode.SIGNATURE_INVALID, ErrorCode.SIGNATURE_INCOMPLETE);
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong VERIFIED = new AtomicLong();
    private static final long START = System.nanoTime();
    private static final SigV4Verifier VERIFIER = new SigV4Verifier("us-east-1",
            Clock.fixed(SigV4VerifierTest.NOW, ZoneOffset.UTC));
    private static final SigV4Verifier.SecretLookup LOOKUP = id -> id.equals(SigV4VerifierTest.KEY)
            ? Optional.of(SigV4VerifierTest.SECRET) : Optional.empty();
    private static final ApiRequest HEADER_SEED = SigV4VerifierTest.signed();
    private static final ApiRequest QUERY_SEED = SigV4VerifierTest.signed("sts", "us-east-1", SigV4VerifierTest.KEY,
            SigV4VerifierTest.NOW, "Action=GetCallerIdentity", "", AuthLocation.QUERY_STRING);

    @FuzzTest(maxDuration = "20s")
    void verify_anyHeadersAndQuery_verifiesOrRefusesWithAnAuthError(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        boolean presigned = data.consumeBoolean();
        ApiRequest seed = presigned ? QUERY_SEED : HEADER_SEED;
        Map<String, List<String>> headers = new LinkedHashMap<>(seed.headers());
        String query = seed.rawQuery();
        switch (data.consumeInt(0, 5)) {
            case 0 -> headers.put("authorization", List.of(mutate(first(headers, "authorization"), data)));
            case 1 -> headers.put("x-amz-date", List.of(mutate(first(headers, "x-amz-date"), data)));
            case 2 -> {
                headers.remove("x-amz-date");
                headers.put("date", List.of(data.consumeString(40)));
            }
            case 3 -> query = mutate(query, data);
            case 4 -> headers.put(data.consumeString(20).toLowerCase(java.util.Locale.ROOT),
                    List.of(data.consumeString(40)));
            default -> headers.put("authorization", List.of(data.consumeString(300)));
        }
        byte[] body = data.consumeRemainingAsBytes();
        ApiRequest request = new ApiRequest(seed.method(), seed.path(), query, headers,
                body.length == 0 ? seed.body() : body, seed.remoteAddress());
        String service = presigned ? "sts" : "ecr";
        try {
            assertThat(VERIFIER.verify(request, service, LOOKUP)).isEqualTo(SigV4VerifierTest.KEY);
            VERIFIED.incrementAndGet();
        } catch (RegistryException e) {
            assertThat(e.code()).as("refusal of %s %s", headers, query).isIn(AUTH_ERRORS);
        }
    }

    /** Splices fuzzer text into {@code seed} (null: fuzzer text alone), so mutations start inside valid syntax. */
    private static String mutate(String seed, FuzzedDataProvider data) {
        if (seed == null) {
            return data.consumeString(100);
        }
        int at = data.consumeInt(0, seed.length());
        int cut = data.consumeInt(0, Math.min(16, seed.length() - at));
        return seed.substring(0, at) + data.consumeString(32) + seed.substring(at + cut);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @AfterAll
    static void report() {
        System.out.printf("SigV4VerifierJazzerTest: %d inputs in %d ms (%d verified)%n", INPUTS.get(),
                (System.nanoTime() - START) / 1_000_000, VERIFIED.get());
    }
}
