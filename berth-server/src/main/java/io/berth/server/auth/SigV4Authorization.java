package io.berth.server.auth;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.auth.Authenticator.ApiRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a SigV4 authorization as a request presents them, in the {@code Authorization} header or in the
 * query ({@code X-Amz-Signature}), parsed with AWS's IncompleteSignatureException messages. Nothing here looks at
 * the body.
 *
 * @param amzDate the signing date as it goes into the string to sign ({@code yyyyMMdd'T'HHmmss'Z'})
 * @param expiresSeconds a presigned request's {@code X-Amz-Expires} (0..604800); for header auth unused
 */
record SigV4Authorization(String accessKeyId, String scopeDate, String scopeRegion, String scopeService,
                          String terminator, List<String> signedHeaders, String signature, boolean presigned,
                          long expiresSeconds, String amzDate, Instant date) {
    /** AWS's longest presigned validity: a week. */
    static final long MAX_EXPIRES_SECONDS = Duration.ofDays(7).toSeconds();
    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    String scope() { return scopeDate + "/" + scopeRegion + "/" + scopeService + "/" + terminator; }

    /** The authorization {@code request} carries; MissingAuthenticationToken when it carries none. */
    static SigV4Authorization of(ApiRequest request, List<String[]> query) {
        String header = first(request.headers(), "authorization");
        if (header != null) {
            Map<String, String> params = parseHeader(header);
            String amzDate = first(request.headers(), "x-amz-date");
            if (amzDate == null && first(request.headers(), "date") != null) {
                amzDate = fromHttpDate(first(request.headers(), "date"));
            }
            if (amzDate == null) {
                throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                        + "header.");
            }
            return of(params.get("Credential"), params.get("SignedHeaders"), params.get("Signature"), false, 0,
                    amzDate);
        }
        if (param(query, "X-Amz-Algorithm") != null) {
            return ofQuery(query);
        }
        throw new RegistryException(ErrorCode.AUTHENTICATION_MISSING, "Missing Authentication Token");
    }

    private static Map<String, String> parseHeader(String header) {
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
        return params;
    }

    private static SigV4Authorization ofQuery(List<String[]> query) {
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
        return of(param(query, "X-Amz-Credential"), param(query, "X-Amz-SignedHeaders"),
                param(query, "X-Amz-Signature"), true, expires(param(query, "X-Amz-Expires")),
                param(query, "X-Amz-Date"));
    }

    /** {@code X-Amz-Expires}: absent means the 15-minute skew window; AWS allows 0 to a week. */
    private static long expires(String value) {
        if (value == null) {
            return SigV4Verifier.MAX_SKEW.toSeconds();
        }
        long expires;
        try {
            expires = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number");
        }
        if (expires < 0) {
            throw incomplete("X-Amz-Expires must be non-negative");
        }
        if (expires > MAX_EXPIRES_SECONDS) {
            throw incomplete("X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires is "
                    + MAX_EXPIRES_SECONDS + " seconds");
        }
        return expires;
    }

    private static SigV4Authorization of(String credential, String signedHeaders, String signature,
                                         boolean presigned, long expires, String amzDate) {
        String[] c = credential.split("/", -1);
        if (c.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + credential + "'");
        }
        List<String> headers = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        return new SigV4Authorization(c[0], c[1], c[2], c[3], c[4], headers, signature, presigned, expires, amzDate,
                parseAmzDate(amzDate));
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

    static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String param(List<String[]> query, String name) {
        for (String[] p : query) {
            if (p[0].equals(name)) {
                return p[1];
            }
        }
        return null;
    }

    static RegistryException incomplete(String message) {
        return new RegistryException(ErrorCode.SIGNATURE_INCOMPLETE, message);
    }
}
