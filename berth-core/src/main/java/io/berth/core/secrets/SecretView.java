package io.berth.core.secrets;

import io.berth.core.spi.meta.SecretRecord;
import io.berth.core.spi.meta.SecretVersionRecord;
import java.time.Instant;

/**
 * A secret as the API planes see it (never its value, never the storage row).
 *
 * @param tagsJson     the tags as given, a JSON array of {@code {Key, Value}}; null for none
 * @param deletionDate when a scheduled (or, for a forced deletion, the immediate) deletion happens; null for none
 */
public record SecretView(String arn, String name, String description, String kmsKeyId, String tagsJson,
                         Instant createdAt, Instant lastChangedAt, Instant lastAccessedAt, Instant deletedAt,
                         Instant deletionDate) {

    /** One version of the value: its ID, its label ({@code AWSCURRENT}, {@code AWSPREVIOUS}, or null). */
    public record Version(String versionId, String stage, Instant createdAt) {
        static Version of(SecretVersionRecord v) {
            return new Version(v.versionId(), v.stage(), v.createdAt());
        }
    }

    static SecretView of(SecretRecord s) {
        return new SecretView(s.arn(), s.name(), s.description(), s.kmsKeyId(), s.tagsJson(), s.createdAt(),
                s.lastChangedAt(), s.lastAccessedAt(), s.deletedAt(), s.deletionDate());
    }
}
