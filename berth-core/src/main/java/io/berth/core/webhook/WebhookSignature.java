package io.berth.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Berth-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" under the webhook's
 * secret>}. Signing the timestamp with the body makes a captured delivery useless after the receiver's tolerance
 * (a replay carries an old {@code t}, and a new {@code t} breaks the MAC); the {@code Berth-Event-Id} header lets
 * the receiver drop a repeat inside it.
 */
public final class WebhookSignature {
    public static final String HEADER = "Berth-Signature";
    public static final String EVENT_ID_HEADER = "Berth-Event-Id";
    public static final String ATTEMPT_HEADER = "Berth-Delivery-Attempt";
    /** The tolerance receivers should allow; {@link #verify} takes it as a parameter. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {}

    public static String header(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + mac(secret, t + "." + body);
    }

    /** True when {@code header} signs {@code body} under {@code secret} and its time is within {@code tolerance}. */
    public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(t);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        byte[] expected = mac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
