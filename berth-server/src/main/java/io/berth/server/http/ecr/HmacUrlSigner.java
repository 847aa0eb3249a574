package io.berth.server.http.ecr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
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

    /**
     * A key kept in {@code <data>/url-signing.key} (created with 32 random bytes, owner-only, on first use) so URLs
     * survive a restart and work on every node sharing the data directory.
     */
    public static HmacUrlSigner fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Path tmp = Files.createTempFile(file.getParent(), "url-signing", ".tmp");
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX filesystem: the data directory's own permissions must protect it
                }
                Files.write(tmp, k, StandardOpenOption.TRUNCATE_EXISTING);
                try {
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp); // another node created it first; use theirs
                }
            }
            return new HmacUrlSigner(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the URL signing key " + file, e);
        }
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
