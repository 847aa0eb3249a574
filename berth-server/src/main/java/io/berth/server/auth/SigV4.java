package io.berth.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pure functions of AWS Signature Version 4, as the AWS documentation ("Create a canonical request for
 * Signature Version 4") and the SDKs (aws-sdk-java-v2 {@code AwsV4HttpSigner}, botocore {@code SigV4Auth}) define
 * them. Kept free of HTTP types so tests can pin each step.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {}

    /**
     * The canonical request. {@code rawPath} is the path as sent (already percent-encoded once); every service but
     * S3 encodes it once more, so the canonical URI is its URI-encoding with {@code /} kept.
     *
     * @param query decoded parameters in any order, each {@code [name, value]}; encoded and sorted here
     * @param headers the signed headers' values by lower-case name, in {@code signedHeaders} order
     */
    static String canonicalRequest(String method, String rawPath, List<String[]> query, List<String> signedHeaders,
                                   Map<String, List<String>> headers, String payloadHash) {
        StringBuilder b = new StringBuilder(256);
        b.append(method).append('\n');
        b.append(rawPath == null || rawPath.isEmpty() ? "/" : uriEncode(rawPath, false)).append('\n');
        b.append(canonicalQuery(query)).append('\n');
        for (String name : signedHeaders) {
            b.append(name).append(':');
            List<String> values = headers.getOrDefault(name, List.of());
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(trimAll(values.get(i)));
            }
            b.append('\n');
        }
        b.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
        return b.toString();
    }

    static String canonicalQuery(List<String[]> query) {
        List<String[]> encoded = new ArrayList<>(query.size());
        for (String[] p : query) {
            encoded.add(new String[] {uriEncode(p[0], true), uriEncode(p[1], true)});
        }
        encoded.sort((a, c) -> a[0].equals(c[0]) ? a[1].compareTo(c[1]) : a[0].compareTo(c[0]));
        StringBuilder b = new StringBuilder();
        for (String[] p : encoded) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(p[0]).append('=').append(p[1]);
        }
        return b.toString();
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(
                StandardCharsets.UTF_8));
    }

    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    static String signature(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
        }
    }

    /** RFC 3986 encoding of everything but the unreserved characters (and {@code /} unless {@code slash}). */
    static String uriEncode(String s, boolean slash) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !slash)) {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** Percent-decoding only: {@code +} stays a plus, as the SDKs encode spaces as {@code %20}. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Decoded {@code [name, value]} pairs of a raw query string (null or empty gives none). */
    static List<String[]> parseQuery(String rawQuery) {
        List<String[]> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            out.add(eq < 0 ? new String[] {percentDecode(part), ""}
                    : new String[] {percentDecode(part.substring(0, eq)), percentDecode(part.substring(eq + 1))});
        }
        return out;
    }

    /** Trims and collapses runs of spaces to one, as the canonical headers require. */
    static String trimAll(String v) {
        String t = v.trim();
        if (t.indexOf("  ") < 0) {
            return t;
        }
        return t.replaceAll(" +", " ");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }
}
