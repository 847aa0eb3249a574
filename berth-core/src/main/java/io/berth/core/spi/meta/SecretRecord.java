package io.berth.core.spi.meta;

import io.berth.core.model.RegistryId;
import java.time.Instant;
import java.util.Objects;

/**
 * A Secrets Manager secret of one account in one region (its values are {@link SecretVersionRecord}s).
 *
 * @param account        the registry: the account in the secret's region, stored under {@link RegistryId#key()}
 * @param arn            {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>}
 * @param tagsJson       the tags as given, a JSON array of {@code {Key, Value}}; null for none
 * @param ownerArn       the principal that created it: the only one that may read its values
 * @param lastAccessedAt the day GetSecretValue last read it (Secrets Manager keeps the date only); null for never
 * @param deletionDate   when a scheduled deletion purges it; null unless DeleteSecret ran
 */
public record SecretRecord(RegistryId account, String name, String arn, String description, String kmsKeyId,
                           String tagsJson, String ownerArn, Instant createdAt, Instant lastChangedAt,
                           Instant lastAccessedAt, Instant deletedAt, Instant deletionDate) {
    public SecretRecord {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(ownerArn, "ownerArn");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastChangedAt, "lastChangedAt");
    }

    public SecretRecord changed(String description, String kmsKeyId, Instant at) {
        return new SecretRecord(account, name, arn, description, kmsKeyId, tagsJson, ownerArn, createdAt, at,
                lastAccessedAt, deletedAt, deletionDate);
    }

    public SecretRecord accessed(Instant day) {
        return new SecretRecord(account, name, arn, description, kmsKeyId, tagsJson, ownerArn, createdAt,
                lastChangedAt, day, deletedAt, deletionDate);
    }

    /** Scheduled for deletion at {@code date} (null for both: restored). */
    public SecretRecord deleted(Instant at, Instant date) {
        return new SecretRecord(account, name, arn, description, kmsKeyId, tagsJson, ownerArn, createdAt,
                at == null ? lastChangedAt : at, lastAccessedAt, at, date);
    }
}
