package io.berth.server.crypto;

import io.berth.core.fs.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that protects everything secret the database holds (access key secrets) and signs registry
 * tokens. It lives outside the database on purpose: a leaked backup or replica alone reveals no secret.
 *
 * <p>Source: {@code BERTH_MASTER_KEY} / {@code auth.master-key} (base64 of 32 bytes; required when several nodes
 * share one database, since they must agree), else {@code <data>/master.key}, created (mode 0600) on first start.
 */
public final class MasterKey {
    static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private MasterKey(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("master key must be " + BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    public static MasterKey of(byte[] key) { return new MasterKey(key); }

    /** A random key of this process only: what it protects does not outlive the process or open on other nodes. */
    public static MasterKey random() {
        byte[] fresh = new byte[BYTES];
        RANDOM.nextBytes(fresh);
        return new MasterKey(fresh);
    }

    /** From the configured base64 value if given, else from (or newly into) {@code <data>/master.key}. */
    public static MasterKey load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return new MasterKey(decode(configured.get(), "auth.master-key / BERTH_MASTER_KEY"));
        }
        Path file = dataDir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                MasterKey fresh = random();
                try {
                    PrivateFiles.writeNew(file, Base64.getEncoder().encodeToString(fresh.key) + "\n");
                    return fresh;
                } catch (FileAlreadyExistsException raced) {
                    // another process (an admin command beside the server) created it first: use theirs
                }
            }
            return new MasterKey(decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create master key " + file, e);
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not base64 (expected 32 random bytes, base64)", e);
        }
    }

    /**
     * An independent 32-byte key for one purpose (HMAC-SHA256 of the label), so no two uses share key material.
     * Labels are versioned ({@code berth/registry-token/v2|...}); encryption goes through {@link Aead#derived}.
     */
    public byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    @Override
    public String toString() { return "MasterKey[redacted]"; }

    @Override
    public boolean equals(Object o) { return o instanceof MasterKey m && Arrays.equals(key, m.key); }

    @Override
    public int hashCode() { return Arrays.hashCode(key); }
}
