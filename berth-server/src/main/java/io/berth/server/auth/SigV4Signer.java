package io.berth.server.auth;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs an outgoing AWS JSON-protocol POST with SigV4, as the SDKs do (host, x-amz-date, x-amz-target and
 * x-amz-content-sha256 signed): what Berth sends to a replication peer's ECR API. The same primitives as the
 * verifier, so a Berth peer accepts it by construction.
 */
public final class SigV4Signer {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SigV4Signer() {}

    /** The headers to send with the request (Authorization among them), besides Content-Type. */
    public static Map<String, String> jsonPost(URI endpoint, String target, byte[] body, String region,
                                               String service, String accessKeyId, String secret, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String payloadHash = SigV4.sha256Hex(body);
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        Map<String, List<String>> signed = new LinkedHashMap<>();
        signed.put("host", List.of(host));
        signed.put("x-amz-content-sha256", List.of(payloadHash));
        signed.put("x-amz-date", List.of(amzDate));
        signed.put("x-amz-target", List.of(target));
        List<String> names = List.copyOf(signed.keySet());
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String canonical = SigV4.canonicalRequest("POST", "/", List.of(), names, signed, payloadHash);
        String signature = SigV4.signature(SigV4.signingKey(secret, amzDate.substring(0, 8), region, service),
                SigV4.stringToSign(amzDate, scope, canonical));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Date", amzDate);
        headers.put("X-Amz-Target", target);
        headers.put("X-Amz-Content-Sha256", payloadHash);
        headers.put("Authorization", SigV4.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + String.join(";", names) + ", Signature=" + signature);
        return headers;
    }
}
