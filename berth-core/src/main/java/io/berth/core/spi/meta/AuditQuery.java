package io.berth.core.spi.meta;

import java.time.Instant;

/**
 * Filters for reading the audit trail; null means "any". Results come newest first.
 *
 * @param principal an ARN, an access key ID or a 12-digit account ID (matched against the caller's account)
 * @param cursor    the {@code nextCursor} of the previous page, or null for the first
 */
public record AuditQuery(Instant from, Instant to, String principal, String repository, String eventName,
                         int limit, String cursor) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
    }

    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit, null);
    }
}
