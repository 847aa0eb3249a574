package io.berth.server.auth;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Authenticator.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class SigV4Verifier {
    /** AWS allows this much difference between the request's date and its own clock, either way. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final String UNKNOWN_KEY = "The security token included in the request is invalid.";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Finds the secret of an access key; empty when the key is unknown or revoked. */
    @FunctionalInterface
    public interface SecretLookup {
        Optional<String> secretOf(String accessKeyId);
    }

    private final String region;
    private final Clock clock;

    public SigV4Verifier(String region, Clock clock) {
        this.region = region;
        this.clock = clock;
    }

    /** The parts of a SigV4 authorization, from the header or the query. */
    private record Auth(String accessKeyId, String scopeDate, String scopeRegion, String scopeService,
                        String terminator, List<String> signedHeaders, String signature, boolean presigned,
                        long expiresSeconds) {
        String scope() { return scopeDate + "/" + scopeRegion + "/" + scopeService + "/" + terminator; }
    }

    /** Verifies {@code request} for {@code service} ({@code ecr}, {@code sts}) and returns its access key ID. */
    public String verify(ApiRequest request, String service, SecretLookup lookup) {
        List<String[]> query = SigV4.parseQuery(request.rawQuery());
        String header = first(request.headers(), "authorization");
        Auth auth;
        String amzDate;
        if (header != null) {
            auth = parseHeader(header);
            amzDate = first(request.headers(), "x-amz-date");
            if (amzDate == null && first(request.headers(), "date") != null) {
                amzDate = fromHttpDate(first(request.headers(), "date"));
            }
        } else if (param(query, "X-Amz-Algorithm") != null) {
            auth = parseQuery(query);
            amzDate = param(query, "X-Amz-Date");
        } else {
            throw new RegistryException(ErrorCode.AUTHENTICATION_MISSING, "Missing Authentication Token");
        }
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        Instant date = parseAmzDate(amzDate);
        checkScope(auth, amzDate, service);
        checkTime(auth, date, amzDate);
        if (!auth.signedHeaders().contains("host")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String secret = lookup.secretOf(auth.accessKeyId())
                .orElseThrow(() -> new RegistryException(ErrorCode.UNAUTHORIZED, UNKNOWN_KEY));
        String expected = SigV4.signature(SigV4.signingKey(secret, auth.scopeDate(), auth.scopeRegion(),
                auth.scopeService()), SigV4.stringToSign(amzDate, auth.scope(), canonicalRequest(request, query,
                auth)));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid(MISMATCH);
        }
        return auth.accessKeyId();
    }

    private static String canonicalRequest(ApiRequest request, List<String[]> query, Auth auth) {
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
        return SigV4.canonicalRequest(request.method(), request.path(), signedQuery, auth.signedHeaders(), signed,
                payloadHash(request));
    }

    /** {@code x-amz-content-sha256} when sent (it must then be the body's hash), else the body's SHA-256. */
    private static String payloadHash(ApiRequest request) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        String actual = SigV4.sha256Hex(body);
        String claimed = first(request.headers(), "x-amz-content-sha256");
        if (claimed == null) {
            return actual;
        }
        if (claimed.equals("UNSIGNED-PAYLOAD") && body.length == 0) {
            return claimed;
        }
        if (!claimed.equalsIgnoreCase(actual)) {
            throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return claimed;
    }

    private void checkScope(Auth auth, String amzDate, String service) {
        if (!auth.scopeDate().equals(amzDate.substring(0, 8))) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
                    + "HTTP: '" + auth.scopeDate() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate
                    + "'.");
        }
        if (!auth.scopeRegion().equals(region)) {
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

    private void checkTime(Auth auth, Instant date, String amzDate) {
        Instant now = clock.instant();
        Instant earliest = now.minus(MAX_SKEW);
        if (auth.presigned()) {
            // a presigned URL is good from its date (give or take the skew) until date + X-Amz-Expires
            earliest = now.minusSeconds(Math.max(auth.expiresSeconds(), MAX_SKEW.toSeconds()));
        }
        if (date.isBefore(earliest)) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(earliest)
                    + " (" + AMZ_DATE.format(now) + " - " + (auth.presigned() ? auth.expiresSeconds() + " sec."
                    : "15 min.") + ")");
        }
        Instant latest = now.plus(MAX_SKEW);
        if (date.isAfter(latest)) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(latest)
                    + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
    }

    private static Auth parseHeader(String header) {
        int space = header.indexOf(' ');
        String algorithm = space < 0 ? header : header.substring(0, space);
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw incomplete("Authorization header requires 'Credential' parameter. Authorization header requires "
                    + "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                    + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : header.substring(space + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                params.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String p : new String[] {"Credential", "Signature", "SignedHeaders"}) {
            if (params.get(p) == null || params.get(p).isEmpty()) {
                missing.append("Authorization header requires '").append(p).append("' parameter. ");
            }
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString().trim());
        }
        return auth(params.get("Credential"), params.get("SignedHeaders"), params.get("Signature"), false, 0);
    }

    private static Auth parseQuery(List<String[]> query) {
        if (!SigV4.ALGORITHM.equals(param(query, "X-Amz-Algorithm"))) {
            throw incomplete("X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256'");
        }
        StringBuilder missing = new StringBuilder();
        for (String p : new String[] {"X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}) {
            if (param(query, p) == null) {
                missing.append("AWS query-string parameters must include '").append(p).append("'. ");
            }
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString().trim());
        }
        long expires;
        try {
            String e = param(query, "X-Amz-Expires");
            expires = e == null ? MAX_SKEW.toSeconds() : Long.parseLong(e);
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number");
        }
        return auth(param(query, "X-Amz-Credential"), param(query, "X-Amz-SignedHeaders"),
                param(query, "X-Amz-Signature"), true, expires);
    }

    private static Auth auth(String credential, String signedHeaders, String signature, boolean presigned,
                             long expires) {
        String[] c = credential.split("/", -1);
        if (c.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + credential + "'");
        }
        List<String> headers = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        return new Auth(c[0], c[1], c[2], c[3], c[4], headers, signature, presigned, expires);
    }

    private static Instant parseAmzDate(String amzDate) {
        try {
            return ZonedDateTime.parse(amzDate, AMZ_DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See "
                    + "http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    /** A {@code Date} header (RFC 1123) as an x-amz-date, which is what then goes into the string to sign. */
    private static String fromHttpDate(String httpDate) {
        try {
            return AMZ_DATE.format(ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String param(List<String[]> query, String name) {
        for (String[] p : query) {
            if (p[0].equals(name)) {
                return p[1];
            }
        }
        return null;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.SIGNATURE_INVALID, message);
    }

    private static RegistryException incomplete(String message) {
        return new RegistryException(ErrorCode.SIGNATURE_INCOMPLETE, message);
    }
}
