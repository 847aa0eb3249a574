package io.berth.server.auth;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Authenticator.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AWS SigV4 on an API call exactly as AWS does: the signature in the {@code Authorization} header or in the
 * query ({@code X-Amz-Signature}), 15 minutes of allowed clock skew, and a credential scope naming this server's
 * region and the expected service. Failures carry AWS's exception names and, where clients show them, AWS's
 * messages.
 *
 * <p>Two phases, so a request that cannot be genuine is refused before its body is read: {@link #begin} settles
 * everything the headers and query can (form, date window, scope, signed-header set, access key), and
 * {@link Pending#verify} compares the signature once the body's SHA-256 is known (hashed while it streams in).
 */
public final class SigV4Verifier {
    /** AWS allows this much difference between the request's date and its own clock, either way. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final String UNKNOWN_KEY = "The security token included in the request is invalid.";
    /** SHA-256 of no bytes: the only payload {@code UNSIGNED-PAYLOAD} may stand for on these APIs. */
    private static final String EMPTY_SHA256 = SigV4.sha256Hex(new byte[0]);

    /** Finds the secret of an access key; empty when the key is unknown or revoked. */
    @FunctionalInterface
    public interface SecretLookup {
        Optional<String> secretOf(String accessKeyId);
    }

    private final java.util.Set<String> regions;
    private final Clock clock;

    public SigV4Verifier(String region, Clock clock) {
        this(java.util.Set.of(region), clock);
    }

    /** @param regions the regions this deployment serves: a credential scoped to any other is refused */
    public SigV4Verifier(java.util.Set<String> regions, Clock clock) {
        this.regions = java.util.Set.copyOf(regions);
        this.clock = clock;
    }

    /** Verifies {@code request} (body included) for {@code service} ({@code ecr}, {@code sts}); returns its key. */
    public String verify(ApiRequest request, String service, SecretLookup lookup) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        return begin(request, service, lookup).verify(SigV4.sha256Hex(body));
    }

    /**
     * Phase 1, from the headers and query alone ({@code request.body()} is not looked at): throws
     * MissingAuthenticationToken, IncompleteSignature, InvalidSignature or UnrecognizedClient exactly as
     * {@link #verify} would, before anything reads the body.
     */
    public Pending begin(ApiRequest request, String service, SecretLookup lookup) {
        List<String[]> query = SigV4.parseQuery(request.rawQuery());
        SigV4Authorization auth = SigV4Authorization.of(request, query);
        checkScope(auth, service);
        checkTime(auth);
        checkSignedHeaders(auth, request.headers());
        String secret = lookup.secretOf(auth.accessKeyId())
                .orElseThrow(() -> new RegistryException(ErrorCode.UNAUTHORIZED, UNKNOWN_KEY));
        return new Pending(request, query, auth, secret);
    }

    /** A request whose headers passed phase 1; the signature is compared once the body's hash is known. */
    public static final class Pending {
        private final ApiRequest request;
        private final List<String[]> query;
        private final SigV4Authorization auth;
        private final String secret;

        private Pending(ApiRequest request, List<String[]> query, SigV4Authorization auth, String secret) {
            this.request = request;
            this.query = query;
            this.auth = auth;
            this.secret = secret;
        }

        public String accessKeyId() { return auth.accessKeyId(); }

        /**
         * Phase 2: throws InvalidSignature unless the signature covers this request with a body whose SHA-256 is
         * {@code payloadSha256Hex} (lower-case hex); returns the access key ID. The comparison is constant-time.
         */
        public String verify(String payloadSha256Hex) {
            String expected = SigV4.signature(SigV4.signingKey(secret, auth.scopeDate(), auth.scopeRegion(),
                    auth.scopeService()), SigV4.stringToSign(auth.amzDate(), auth.scope(), canonicalRequest(
                    payloadHash(request, payloadSha256Hex))));
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    auth.signature().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw invalid(MISMATCH);
            }
            return auth.accessKeyId();
        }

        private String canonicalRequest(String payloadHash) {
            List<String[]> signedQuery = query;
            if (auth.presigned()) {
                signedQuery = new ArrayList<>(query);
                signedQuery.removeIf(p -> p[0].equals("X-Amz-Signature"));
            }
            Map<String, List<String>> signed = new LinkedHashMap<>();
            for (String name : auth.signedHeaders()) {
                List<String> values = request.headers().get(name);
                if (values == null) {
                    throw invalid(MISMATCH); // a signed header the request no longer carries
                }
                signed.put(name, values);
            }
            return SigV4.canonicalRequest(request.method(), request.path(), signedQuery, auth.signedHeaders(),
                    signed, payloadHash);
        }
    }

    /** {@code x-amz-content-sha256} when sent (it must then be the body's hash), else the body's SHA-256. */
    private static String payloadHash(ApiRequest request, String actual) {
        String claimed = SigV4Authorization.first(request.headers(), "x-amz-content-sha256");
        if (claimed == null) {
            return actual;
        }
        if (claimed.equals("UNSIGNED-PAYLOAD") && actual.equals(EMPTY_SHA256)) {
            return claimed;
        }
        if (!claimed.equalsIgnoreCase(actual)) {
            throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return claimed;
    }

    private void checkScope(SigV4Authorization auth, String service) {
        String day = auth.amzDate().substring(0, 8);
        if (!auth.scopeDate().equals(day)) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
                    + "HTTP: '" + auth.scopeDate() + "' != '" + day + "', from '" + auth.amzDate() + "'.");
        }
        if (!regions.contains(auth.scopeRegion())) {
            throw invalid("Credential should be scoped to a valid region. ");
        }
        if (!auth.scopeService().equals(service)) {
            throw invalid("Credential should be scoped to correct service: '" + service + "'. ");
        }
        if (!auth.terminator().equals("aws4_request")) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + auth.terminator() + "'. ");
        }
    }

    private void checkTime(SigV4Authorization auth) {
        Instant now = clock.instant();
        Instant earliest = now.minus(MAX_SKEW);
        if (auth.presigned()) {
            // a presigned URL is good from its date (give or take the skew) until date + X-Amz-Expires
            earliest = now.minusSeconds(Math.max(auth.expiresSeconds(), MAX_SKEW.toSeconds()));
        }
        String amzDate = auth.amzDate();
        if (auth.date().isBefore(earliest)) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than "
                    + SigV4Authorization.AMZ_DATE.format(earliest) + " (" + SigV4Authorization.AMZ_DATE.format(now)
                    + " - " + (auth.presigned() ? auth.expiresSeconds() + " sec." : "15 min.") + ")");
        }
        Instant latest = now.plus(MAX_SKEW);
        if (auth.date().isAfter(latest)) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than "
                    + SigV4Authorization.AMZ_DATE.format(latest) + " (" + SigV4Authorization.AMZ_DATE.format(now)
                    + " + 15 min.)");
        }
    }

    /**
     * What must be signed: the host (as AWS requires), the operation ({@code X-Amz-Target}, else a captured call
     * could be replayed as another operation) and, in the header form, the {@code X-Amz-Date} the window was judged
     * by (else a captured call could be re-dated). The messages follow AWS's wording for the host.
     */
    private static void checkSignedHeaders(SigV4Authorization auth, Map<String, List<String>> headers) {
        List<String> signed = auth.signedHeaders();
        if (!signed.contains("host")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (headers.containsKey("x-amz-target") && !signed.contains("x-amz-target")) {
            throw invalid("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!auth.presigned() && headers.containsKey("x-amz-date") && !signed.contains("x-amz-date")) {
            throw invalid("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
        }
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.SIGNATURE_INVALID, message);
    }
}
