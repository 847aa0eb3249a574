package io.berth.server.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs a raw request with a chosen SignedHeaders set, as a hand-rolled (or malicious) client would; the SDK's
 * signer always signs every header. Uses the same SigV4 steps as the verifier, which the AWS documentation example
 * and the SDK-signed tests pin.
 */
public final class RawSigV4 {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private RawSigV4() {}

    /** The x-amz-date for {@code at}. */
    public static String amzDate(Instant at) {
        return AMZ_DATE.format(at);
    }

    /**
     * The {@code Authorization} header for a {@code POST /} whose headers (lower-case names; {@code host} and
     * {@code x-amz-date} included) are {@code headers}, signing only {@code signed} (in order) over {@code body}.
     */
    public static String authorization(Map<String, String> headers, List<String> signed, byte[] body, String key,
                                       String secret, String region, String service) {
        String amzDate = headers.get("x-amz-date");
        Map<String, List<String>> values = new LinkedHashMap<>();
        signed.forEach(h -> values.put(h, List.of(headers.getOrDefault(h, ""))));
        String canonical = SigV4.canonicalRequest("POST", "/", new ArrayList<>(), signed, values,
                SigV4.sha256Hex(body));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String signature = SigV4.signature(SigV4.signingKey(secret, amzDate.substring(0, 8), region, service),
                SigV4.stringToSign(amzDate, scope, canonical));
        return SigV4.ALGORITHM + " Credential=" + key + "/" + scope + ", SignedHeaders=" + String.join(";", signed)
                + ", Signature=" + signature;
    }
}
