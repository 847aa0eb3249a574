package io.berth.server.http.paging;

import io.berth.server.auth.MasterKey;
import io.berth.server.auth.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination cursors: the position (a repository name the caller may not be allowed to see) sealed with
 * AES-256-GCM, so a cursor reveals nothing and cannot be altered into another position unnoticed.
 *
 * <p>The key is the master key's, through {@link SecretCipher} (the only public AES-GCM use of it), with the
 * cursor's purpose and kind as the associated data: {@code berth/page-cursor/v1/<kind>}. Access key IDs, the
 * associated data of stored secrets, never contain {@code /}, so no ciphertext of one use opens as the other, and
 * a cursor of one listing (the catalog) does not open in another (DescribeRepositories). Every node that shares
 * the master key opens every node's cursors. (A dedicated derived key would need {@code MasterKey.derive} to be
 * public; the format would not change.)
 */
public final class PageCursors {
    private static final String PURPOSE = "berth/page-cursor/v1/";

    private final SecretCipher cipher;

    public PageCursors(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Cursors under a random key of this process only: for tests and handlers built without a master key. */
    public static PageCursors ephemeral() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new PageCursors(new SecretCipher(MasterKey.of(key)));
    }

    /** base64url (no padding) of the sealed position. */
    public String seal(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.encrypt(PURPOSE + kind, position));
    }

    /** The position, or empty for anything this deployment did not seal for {@code kind}. Never throws. */
    public Optional<String> open(String kind, String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII));
            return Optional.of(cipher.decrypt(PURPOSE + kind, sealed));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
