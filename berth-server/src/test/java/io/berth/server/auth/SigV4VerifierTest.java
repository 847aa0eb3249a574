package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Authenticator.ApiRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK for Java v2 signer must verify; each tampered part must fail as AWS fails it. */
class SigV4VerifierTest {
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
    static final String BODY = "{\"repositoryName\":\"team/app\"}";

    final SigV4Verifier verifier = new SigV4Verifier("us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
    final SigV4Verifier.SecretLookup lookup = id -> id.equals(KEY) ? Optional.of(SECRET) : Optional.empty();

    /** Signs like the SDK's ECR client would, then converts to what the server receives. */
    static ApiRequest signed(String service, String region, String key, Instant at, String query, String body,
                             AuthLocation location) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:5000/" + (query == null ? "" : "?" + query)))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository").build();
        SignedRequest s = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key, SECRET))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, location)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        s.request().headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
        URI uri = s.request().getUri();
        return new ApiRequest("POST", uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(), uri.getRawQuery(), headers,
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    static ApiRequest signed() {
        return signed("ecr", "us-east-1", KEY, NOW, null, BODY, AuthLocation.HEADER);
    }

    static ApiRequest withHeader(ApiRequest r, String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
        h.put(name, List.of(value));
        return new ApiRequest(r.method(), r.path(), r.rawQuery(), h, r.body(), r.remoteAddress());
    }

    void assertFails(String what, ThrowingCallable call, ErrorCode code, String messageStart) {
        assertThatThrownBy(call).as(what).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).as(what + ": error code (" + e.getMessage() + ")").isEqualTo(code);
            assertThat(e.getMessage()).as(what + ": message").startsWith(messageStart);
        });
    }

    @Test
    void verify_sdkSignedHeaderRequest_returnsAccessKey() {
        assertThat(verifier.verify(signed(), "ecr", lookup)).as("SDK-signed ECR call").isEqualTo(KEY);
    }

    @Test
    void verify_sdkSignedWithQueryParameters_returnsAccessKey() {
        ApiRequest r = signed("ecr", "us-east-1", KEY, NOW, "b=2&a=1&a=0&space=a%20b&slash=%2F", BODY,
                AuthLocation.HEADER);
        assertThat(verifier.verify(r, "ecr", lookup)).as("SDK-signed call with an unsorted query").isEqualTo(KEY);
    }

    @Test
    void verify_sdkPresignedQueryString_returnsAccessKey() {
        ApiRequest r = signed("sts", "us-east-1", KEY, NOW, "Action=GetCallerIdentity", "", AuthLocation.QUERY_STRING);
        assertThat(r.headers()).as("presigned: no Authorization header").doesNotContainKey("authorization");
        assertThat(verifier.verify(r, "sts", lookup)).as("presigned STS call").isEqualTo(KEY);
    }

    @Test
    void verify_tamperedHeader_invalidSignature() {
        ApiRequest r = withHeader(signed(), "x-amz-target", "AmazonEC2ContainerRegistry_V20150921.DeleteRepository");
        assertFails("signed X-Amz-Target changed", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, SigV4Verifier.MISMATCH);
    }

    @Test
    void verify_tamperedBody_invalidSignature() {
        ApiRequest s = signed();
        ApiRequest r = new ApiRequest(s.method(), s.path(), s.rawQuery(), s.headers(),
                "{\"repositoryName\":\"other\"}".getBytes(StandardCharsets.UTF_8), s.remoteAddress());
        // the SDK signs x-amz-content-sha256, so the changed body no longer matches that signed hash
        assertFails("body changed", () -> verifier.verify(r, "ecr", lookup), ErrorCode.SIGNATURE_INVALID,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    @Test
    void verify_tamperedQuery_invalidSignature() {
        ApiRequest s = signed("ecr", "us-east-1", KEY, NOW, "a=1", BODY, AuthLocation.HEADER);
        ApiRequest r = new ApiRequest(s.method(), s.path(), "a=2", s.headers(), s.body(), s.remoteAddress());
        assertFails("query changed", () -> verifier.verify(r, "ecr", lookup), ErrorCode.SIGNATURE_INVALID,
                SigV4Verifier.MISMATCH);
    }

    @Test
    void verify_tamperedDateWithinWindow_invalidSignature() {
        ApiRequest r = withHeader(signed(), "x-amz-date", "20250304T050608Z");
        assertFails("x-amz-date moved by a second", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, SigV4Verifier.MISMATCH);
    }

    @Test
    void verify_signedSixteenMinutesAgo_signatureExpired() {
        ApiRequest r = signed("ecr", "us-east-1", KEY, NOW.minus(Duration.ofMinutes(16)), null, BODY,
                AuthLocation.HEADER);
        assertFails("signed 16 minutes before now", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID,
                "Signature expired: 20250304T045007Z is now earlier than 20250304T045107Z (20250304T050607Z - 15 min.)");
    }

    @Test
    void verify_signedSixteenMinutesAhead_notYetCurrent() {
        ApiRequest r = signed("ecr", "us-east-1", KEY, NOW.plus(Duration.ofMinutes(16)), null, BODY,
                AuthLocation.HEADER);
        assertFails("signed 16 minutes after now", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "Signature not yet current: 20250304T052207Z is still later than");
    }

    @Test
    void verify_signedFourteenMinutesAgo_accepted() {
        ApiRequest r = signed("ecr", "us-east-1", KEY, NOW.minus(Duration.ofMinutes(14)), null, BODY,
                AuthLocation.HEADER);
        assertThat(verifier.verify(r, "ecr", lookup)).as("14 minutes of skew is allowed").isEqualTo(KEY);
    }

    @Test
    void verify_otherRegion_invalidSignature() {
        ApiRequest r = signed("ecr", "eu-west-1", KEY, NOW, null, BODY, AuthLocation.HEADER);
        assertFails("scoped to eu-west-1 on a us-east-1 server", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "Credential should be scoped to a valid region.");
    }

    @Test
    void verify_otherService_invalidSignature() {
        ApiRequest r = signed("s3", "us-east-1", KEY, NOW, null, BODY, AuthLocation.HEADER);
        assertFails("scoped to s3 on an ECR call", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "Credential should be scoped to correct service: 'ecr'.");
    }

    @Test
    void verify_unknownKey_unrecognizedClient() {
        ApiRequest r = signed("ecr", "us-east-1", "AKIAUNKNOWN000000000", NOW, null, BODY, AuthLocation.HEADER);
        assertFails("unknown access key", () -> verifier.verify(r, "ecr", lookup), ErrorCode.UNAUTHORIZED,
                "The security token included in the request is invalid.");
        assertThat(ErrorCode.UNAUTHORIZED.awsType(io.berth.core.error.AwsService.ECR)).isEqualTo("UnrecognizedClientException");
    }

    @Test
    void verify_wrongSecret_invalidSignature() {
        SigV4Verifier.SecretLookup other = id -> Optional.of(SECRET.replace('w', 'x'));
        assertFails("right key, other secret", () -> verifier.verify(signed(), "ecr", other),
                ErrorCode.SIGNATURE_INVALID, SigV4Verifier.MISMATCH);
    }

    @Test
    void verify_noAuthorization_missingAuthenticationToken() {
        ApiRequest s = signed();
        Map<String, List<String>> h = new LinkedHashMap<>(s.headers());
        h.remove("authorization");
        ApiRequest r = new ApiRequest(s.method(), s.path(), s.rawQuery(), h, s.body(), s.remoteAddress());
        assertFails("no Authorization header", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.AUTHENTICATION_MISSING, "Missing Authentication Token");
    }

    @Test
    void verify_basicAuthorization_incompleteSignature() {
        ApiRequest r = withHeader(signed(), "authorization", "Basic QVdTOnNlY3JldA==");
        assertFails("Basic instead of SigV4", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INCOMPLETE, "Authorization header requires 'Credential' parameter.");
    }

    @Test
    void verify_contentSha256NotTheBody_invalidSignature() {
        ApiRequest r = withHeader(signed(), "x-amz-content-sha256", SigV4.sha256Hex(new byte[0]));
        assertFails("x-amz-content-sha256 of another body", () -> verifier.verify(r, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "The provided 'x-amz-content-sha256' header does not match");
    }

    /** A call signed with exactly {@code signed} among its headers (a hand-rolled client), target {@code target}. */
    static ApiRequest rawSigned(String target, List<String> signed) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/x-amz-json-1.1");
        h.put("host", "127.0.0.1:5000");
        h.put("x-amz-date", RawSigV4.amzDate(NOW));
        h.put("x-amz-target", target);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        h.forEach((k, v) -> headers.put(k, List.of(v)));
        headers.put("authorization", List.of(RawSigV4.authorization(h, signed, body, KEY, SECRET, "us-east-1",
                "ecr")));
        return new ApiRequest("POST", "/", null, headers, body, "127.0.0.1");
    }

    @Test
    void verify_everyRequiredHeaderSigned_returnsAccessKey() {
        ApiRequest r = rawSigned("AmazonEC2ContainerRegistry_V20150921.BatchGetImage",
                List.of("content-type", "host", "x-amz-date", "x-amz-target"));
        assertThat(verifier.verify(r, "ecr", lookup)).as("hand-signed with host, date and target").isEqualTo(KEY);
    }

    @Test
    void begin_targetOrDateSentButNotSigned_invalidSignature() {
        // a call signed with SignedHeaders=content-type;host;x-amz-date, replayed as another operation
        ApiRequest replayed = rawSigned("AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage",
                List.of("content-type", "host", "x-amz-date"));
        assertFails("X-Amz-Target sent but not among SignedHeaders", () -> verifier.begin(replayed, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        ApiRequest redated = rawSigned("AmazonEC2ContainerRegistry_V20150921.BatchGetImage",
                List.of("content-type", "host", "x-amz-target"));
        assertFails("X-Amz-Date sent but not among SignedHeaders", () -> verifier.begin(redated, "ecr", lookup),
                ErrorCode.SIGNATURE_INVALID, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void begin_presignedExpiresOutOfRange_incompleteSignature() {
        ApiRequest s = signed("sts", "us-east-1", KEY, NOW, "Action=GetCallerIdentity", "", AuthLocation.QUERY_STRING);
        for (String[] c : new String[][] {
                {"1099511627776", "X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires "
                        + "is 604800 seconds"},
                {"604801", "X-Amz-Expires must be less than a week"},
                {"-1", "X-Amz-Expires must be non-negative"},
                {"soon", "X-Amz-Expires should be a number"}}) {
            String query = s.rawQuery().replaceAll("&?X-Amz-Expires=[^&]*", "") + "&X-Amz-Expires=" + c[0];
            ApiRequest r = new ApiRequest(s.method(), s.path(), query, s.headers(), s.body(), s.remoteAddress());
            assertFails("presigned with X-Amz-Expires=" + c[0], () -> verifier.begin(r, "sts", lookup),
                    ErrorCode.SIGNATURE_INCOMPLETE, c[1]);
        }
    }

    @Test
    void begin_unknownKeyWithoutBody_refusedBeforeTheBodyIsRead() {
        ApiRequest s = signed("ecr", "us-east-1", "AKIAUNKNOWN000000000", NOW, null, BODY, AuthLocation.HEADER);
        ApiRequest headersOnly = new ApiRequest(s.method(), s.path(), s.rawQuery(), s.headers(), null,
                s.remoteAddress());
        assertFails("phase 1 with an unknown key and no body", () -> verifier.begin(headersOnly, "ecr", lookup),
                ErrorCode.UNAUTHORIZED, SigV4Verifier.UNKNOWN_KEY);
    }

    @Test
    void beginThenVerify_bodyHashedSeparately_acceptsOnlyTheSignedBody() {
        ApiRequest s = signed();
        ApiRequest headersOnly = new ApiRequest(s.method(), s.path(), s.rawQuery(), s.headers(), null,
                s.remoteAddress());
        SigV4Verifier.Pending pending = verifier.begin(headersOnly, "ecr", lookup);
        assertThat(pending.verify(SigV4.sha256Hex(BODY.getBytes(StandardCharsets.UTF_8))))
                .as("phase 2 with the signed body's hash").isEqualTo(KEY);
        assertFails("phase 2 with another body's hash", () -> pending.verify(SigV4.sha256Hex(new byte[1])),
                ErrorCode.SIGNATURE_INVALID, "The provided 'x-amz-content-sha256' header does not match");
    }

    @Test
    void canonicalRequest_awsDocumentationExample_matchesPublishedSignature() {
        // The GET example of the AWS SigV4 documentation (IAM ListUsers), with its published signature.
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        headers.put("host", List.of("iam.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        String canonical = SigV4.canonicalRequest("GET", "/", SigV4.parseQuery("Action=ListUsers&Version=2010-05-08"),
                List.of("content-type", "host", "x-amz-date"), headers, SigV4.sha256Hex(new byte[0]));
        String sts = SigV4.stringToSign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical);
        byte[] key = SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
        assertThat(SigV4.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8))).as("hash of the canonical request")
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(SigV4.signature(key, sts)).as("signature of the documented example")
                .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }
}
