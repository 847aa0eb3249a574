package io.berth.server.http.oci;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.server.http.paging.PageCursors;
import io.berth.server.http.paging.VisiblePager;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code n}/{@code last} of the tag list and catalog, and their {@code Link} header. Without {@code n} a page holds
 * {@link #DEFAULT_N} entries; a larger {@code n} is capped at {@link #MAX_N} (the spec allows returning fewer), so
 * one request cannot make the server build an unbounded list. {@code n=0} is an empty page.
 */
final class Pagination {
    static final int DEFAULT_N = 1000;
    static final int MAX_N = 10_000;

    private Pagination() {}

    /** Parses {@code n}: absent gives the default, anything but a non-negative integer is a 400. */
    static int parseN(String n) {
        if (n == null) {
            return DEFAULT_N;
        }
        if (n.isEmpty() || n.length() > 9) {
            if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                return MAX_N;
            }
            throw badN(n);
        }
        for (int i = 0; i < n.length(); i++) {
            if (!Character.isDigit(n.charAt(i))) {
                throw badN(n);
            }
        }
        return Math.min(Integer.parseInt(n), MAX_N);
    }

    private static RegistryException badN(String n) {
        return new RegistryException(ErrorCode.INVALID_PARAMETER,
                "n must be a non-negative integer, got '" + Ranges.abbreviate(n) + "'");
    }

    /**
     * Marks a {@code last} that is a sealed cursor rather than a name: {@code ~} is in no repository name or tag,
     * and is unreserved in URLs, so a client's own {@code last=<name>} (the spec's form) keeps its meaning.
     */
    static final String SEALED = "~";

    /**
     * Where a filtered listing starts: after the client's plain {@code last} name, or after the position a sealed
     * cursor of ours holds; INVALID_PARAMETER for a sealed cursor this deployment did not issue for {@code kind}.
     */
    static String start(String last, PageCursors cursors, String kind) {
        if (last == null || !last.startsWith(SEALED)) {
            return last;
        }
        return cursors.open(kind, last.substring(SEALED.length())).orElseThrow(() -> new RegistryException(
                ErrorCode.INVALID_PARAMETER, "last is neither a repository name nor a cursor this registry issued"));
    }

    /** The {@code last} that continues after the page: the last name shown, or the sealed position it stopped at. */
    static String resume(VisiblePager.Page<?> page, PageCursors cursors, String kind) {
        return page.sealed() ? SEALED + cursors.seal(kind, page.resume()) : page.resume();
    }

    /** {@code </v2/<path>?last=<last>&n=<n>>; rel="next"}. */
    static String link(String path, String last, int n) {
        return "<" + path + "?last=" + URLEncoder.encode(last, StandardCharsets.UTF_8) + "&n=" + n + ">; rel=\"next\"";
    }
}
