package io.berth.server.http.paging;

import io.berth.server.crypto.Aead;
import io.berth.server.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * Opaque pagination cursors: the position (a repository name the caller may not be allowed to see) sealed with
 * AES-256-GCM, so a cursor reveals nothing and cannot be altered into another position unnoticed.
 *
 * <p>The key is derived from the master key for cursors alone ({@code berth/page-cursor/v2}), and the cursor's kind
 * is the associated data, so a cursor of one listing (the catalog) does not open in another (DescribeRepositories).
 * Every node that shares the master key opens every node's cursors.
 */
public final class PageCursors {
    private static final String PURPOSE = "berth/page-cursor/v2";

    private final Aead aead;

    public PageCursors(MasterKey master) {
        this.aead = Aead.derived(master, PURPOSE);
    }

    /** Cursors under a random key of this process only: for tests and handlers built without a master key. */
    public static PageCursors ephemeral() {
        return new PageCursors(MasterKey.random());
    }

    /** base64url (no padding) of the sealed position. */
    public String seal(String kind, String position) {
        byte[] sealed = aead.seal(kind, position.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The position, or empty for anything this deployment did not seal for {@code kind}. Never throws. */
    public Optional<String> open(String kind, String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII));
            return Optional.of(new String(aead.open(kind, sealed), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | AEADBadTagException e) {
            return Optional.empty();
        }
    }
}
