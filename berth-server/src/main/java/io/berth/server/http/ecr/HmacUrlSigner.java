package io.berth.server.http.ecr;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over {@code path + "\n" + expires}, base64url without padding. */
public final class HmacUrlSigner implements UrlSigner {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public HmacUrlSigner(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    @Override
    public String sign(String path, long expiresEpochSeconds) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] sig = mac.doFinal((path + "\n" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public boolean verify(String path, long expiresEpochSeconds, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(path, expiresEpochSeconds).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
