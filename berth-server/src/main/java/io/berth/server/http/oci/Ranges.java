package io.berth.server.http.oci;

import io.berth.core.error.ErrorCode;
import io.berth.core.error.RegistryException;

/**
 * The two range headers of the blob API. {@code Range} on a blob GET (RFC 9110, one range only: {@code bytes=a-b},
 * {@code a-}, {@code -n}); and {@code Content-Range} on an upload PATCH/PUT, which registries write as
 * {@code <start>-<end>} (distribution's form), also accepted with a {@code bytes } prefix and {@code /total}.
 */
final class Ranges {
    /** An inclusive byte range. */
    record ByteRange(long start, long end) {
        long length() { return end - start + 1; }
    }

    private Ranges() {}

    /**
     * Resolves a {@code Range} header against a blob of {@code size} bytes; null means "no Range header: send all".
     * Multiple ranges, other units, garbage and unsatisfiable ranges all get {@link ErrorCode#RANGE_INVALID} (416).
     */
    static ByteRange parseRange(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            throw invalidRange(header, size);
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw invalidRange(header, size);
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) { // suffix: the last n bytes
            long n = number(b);
            if (n <= 0 || size == 0) {
                throw invalidRange(header, size);
            }
            return new ByteRange(Math.max(0, size - n), size - 1);
        }
        long start = number(a);
        long end = b.isEmpty() ? size - 1 : number(b);
        if (start < 0 || end < 0 || start > end && !b.isEmpty() || start >= size) {
            throw invalidRange(header, size);
        }
        return new ByteRange(start, Math.min(end, size - 1));
    }

    /**
     * Parses an upload {@code Content-Range}; null when absent. Malformed values get
     * {@link ErrorCode#BLOB_UPLOAD_RANGE_INVALID} (416), like an out-of-order chunk.
     */
    static ByteRange parseContentRange(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("bytes ")) {
            h = h.substring(6).trim();
        } else if (h.startsWith("bytes=")) {
            h = h.substring(6).trim();
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        int dash = h.indexOf('-');
        long start = dash <= 0 ? -1 : number(h.substring(0, dash));
        long end = dash <= 0 ? -1 : number(h.substring(dash + 1));
        if (start < 0 || end < start) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_RANGE_INVALID,
                    "Content-Range must be <start>-<end> with start <= end, got '" + abbreviate(header) + "'");
        }
        return new ByteRange(start, end);
    }

    /** A non-negative decimal, or -1 for anything else (including overflow). */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static RegistryException invalidRange(String header, long size) {
        return new RegistryException(ErrorCode.RANGE_INVALID,
                "range '" + abbreviate(header) + "' cannot be satisfied for a blob of " + size + " bytes");
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
