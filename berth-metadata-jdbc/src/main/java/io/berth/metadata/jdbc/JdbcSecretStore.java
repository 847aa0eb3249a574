package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.SecretRecord;
import io.berth.core.spi.meta.SecretStore;
import io.berth.core.spi.meta.SecretVersionRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Nullable times are bound through {@code CAST(? AS BIGINT)}: {@link Sql} binds a null as text. */
final class JdbcSecretStore implements SecretStore {
    private static final String COLUMNS = "account_id, name, arn, description, kms_key_id, tags_json, owner_arn, "
            + "created_at, last_changed_at, last_accessed_at, deleted_at, deletion_date";
    private static final String VERSION_COLUMNS = "arn, version_id, stage, value_kind, value_sealed, created_at";

    private final Sql sql;

    JdbcSecretStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<SecretRecord> get(RegistryId account, String name) {
        return sql.one("SELECT " + COLUMNS + " FROM secrets WHERE account_id = ? AND name = ?",
                JdbcSecretStore::record, account, name);
    }

    @Override
    public Optional<SecretRecord> byArn(String arn) {
        return sql.one("SELECT " + COLUMNS + " FROM secrets WHERE arn = ?", JdbcSecretStore::record, arn);
    }

    @Override
    public boolean create(SecretRecord s) {
        return sql.update("INSERT INTO secrets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)) "
                        + "ON CONFLICT (account_id, name) DO NOTHING",
                s.account(), s.name(), s.arn(), s.description(), s.kmsKeyId(), s.tagsJson(), s.ownerArn(),
                s.createdAt(), s.lastChangedAt(), s.lastAccessedAt(), s.deletedAt(), s.deletionDate()) > 0;
    }

    @Override
    public void update(SecretRecord s) {
        sql.update("UPDATE secrets SET description = ?, kms_key_id = ?, tags_json = ?, last_changed_at = ?, "
                        + "last_accessed_at = CAST(? AS BIGINT), deleted_at = CAST(? AS BIGINT), "
                        + "deletion_date = CAST(? AS BIGINT) WHERE arn = ?",
                s.description(), s.kmsKeyId(), s.tagsJson(), s.lastChangedAt(), s.lastAccessedAt(), s.deletedAt(),
                s.deletionDate(), s.arn());
    }

    @Override
    public boolean delete(String arn) {
        sql.update("DELETE FROM secret_versions WHERE arn = ?", arn);
        return sql.update("DELETE FROM secrets WHERE arn = ?", arn) > 0;
    }

    @Override
    public List<SecretRecord> list(RegistryId account, String afterName, int limit, boolean includeDeleted) {
        return sql.list("SELECT " + COLUMNS + " FROM secrets WHERE account_id = ? AND name > ?"
                        + (includeDeleted ? "" : " AND deletion_date IS NULL") + " ORDER BY name LIMIT ?",
                JdbcSecretStore::record, account, afterName == null ? "" : afterName, limit);
    }

    @Override
    public List<SecretVersionRecord> versions(String arn) {
        return sql.list("SELECT " + VERSION_COLUMNS + " FROM secret_versions WHERE arn = ? "
                + "ORDER BY created_at DESC, version_id", JdbcSecretStore::version, arn);
    }

    @Override
    public Optional<SecretVersionRecord> version(String arn, String versionId) {
        return sql.one("SELECT " + VERSION_COLUMNS + " FROM secret_versions WHERE arn = ? AND version_id = ?",
                JdbcSecretStore::version, arn, versionId);
    }

    @Override
    public void addCurrent(SecretVersionRecord v) {
        sql.update("DELETE FROM secret_versions WHERE arn = ? AND (stage IS NULL OR stage = ?)", v.arn(),
                SecretVersionRecord.PREVIOUS);
        sql.update("UPDATE secret_versions SET stage = ? WHERE arn = ? AND stage = ?", SecretVersionRecord.PREVIOUS,
                v.arn(), SecretVersionRecord.CURRENT);
        sql.update("INSERT INTO secret_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", v.arn(),
                v.versionId(), SecretVersionRecord.CURRENT, v.binary() ? "binary" : "string", v.sealed(),
                v.createdAt());
    }

    private static SecretRecord record(ResultSet rs) throws SQLException {
        return new SecretRecord(RegistryId.ofKey(rs.getString("account_id")), rs.getString("name"),
                rs.getString("arn"), rs.getString("description"), rs.getString("kms_key_id"),
                rs.getString("tags_json"), rs.getString("owner_arn"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_changed_at"), Sql.instantOrNull(rs, "last_accessed_at"),
                Sql.instantOrNull(rs, "deleted_at"), Sql.instantOrNull(rs, "deletion_date"));
    }

    private static SecretVersionRecord version(ResultSet rs) throws SQLException {
        return new SecretVersionRecord(rs.getString("arn"), rs.getString("version_id"), rs.getString("stage"),
                "binary".equals(rs.getString("value_kind")), rs.getBytes("value_sealed"),
                Sql.instant(rs, "created_at"));
    }
}
