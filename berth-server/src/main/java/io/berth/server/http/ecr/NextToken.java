package io.berth.server.http.ecr;

import io.berth.server.http.paging.PageCursors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque pagination tokens: base64url of {@code <kind>:<last key>}. The kind keeps a token from one operation from
 * being replayed on another; the key is the last repository name or digest returned (keyset pagination, so a token
 * stays valid while rows are added or removed).
 */
final class NextToken {
    private NextToken() {}

    static String encode(String kind, String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key, or null for no token; InvalidParameterException for a token this server did not issue. */
    static String decode(String kind, String token) {
        if (token == null) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Validation.invalid("nextToken", "Invalid pagination token");
        }
        if (!text.startsWith(kind + ":") || text.length() == kind.length() + 1) {
            throw Validation.invalid("nextToken", "Invalid pagination token");
        }
        return text.substring(kind.length() + 1);
    }

    /**
     * A token for a listing that hides rows from the caller: the position sealed (see {@link PageCursors}), since it
     * may be a name the caller must not learn. Sealed per kind, so it opens in no other operation.
     */
    static String sealed(PageCursors cursors, String kind, String lastKey) {
        return cursors.seal("ecr-" + kind, lastKey);
    }

    /** The position of a {@link #sealed} token, or null for no token; InvalidParameterException for any other. */
    static String openSealed(PageCursors cursors, String kind, String token) {
        if (token == null) {
            return null;
        }
        return cursors.open("ecr-" + kind, token)
                .orElseThrow(() -> Validation.invalid("nextToken", "Invalid pagination token"));
    }
}
