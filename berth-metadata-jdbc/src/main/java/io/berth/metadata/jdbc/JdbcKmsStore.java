package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.KmsAliasRecord;
import io.berth.core.spi.meta.KmsKeyRecord;
import io.berth.core.spi.meta.KmsStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcKmsStore implements KmsStore {
    private static final String KEY_COLUMNS = "key_id, description, key_manager, state, created_at, deletion_at, "
            + "pending_window_days, rotation_enabled, rotation_period_days, rotated_at, current_version, policy";
    private static final String ALIAS_COLUMNS = "alias_name, key_id, created_at, updated_at";

    private final Sql sql;

    JdbcKmsStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean createKey(RegistryId account, KmsKeyRecord k, byte[] sealedMaterial) {
        int inserted = sql.update("INSERT INTO kms_keys (registry_id, " + KEY_COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, key_id) DO NOTHING",
                account, k.keyId(), k.description(), k.keyManager(), k.state(), k.createdAt(), k.deletionAt(),
                k.pendingWindowDays(), k.rotationEnabled() ? 1 : 0, k.rotationPeriodDays(), k.rotatedAt(),
                k.currentVersion(), k.policy());
        return inserted > 0 && addVersion(account, k.keyId(), k.currentVersion(), sealedMaterial, k.createdAt());
    }

    @Override
    public Optional<KmsKeyRecord> key(RegistryId account, String keyId) {
        return sql.one("SELECT " + KEY_COLUMNS + " FROM kms_keys WHERE registry_id = ? AND key_id = ?",
                JdbcKmsStore::key, account, keyId);
    }

    @Override
    public List<KmsKeyRecord> keys(RegistryId account, String afterKeyId, int limit) {
        return sql.list("SELECT " + KEY_COLUMNS + " FROM kms_keys WHERE registry_id = ? AND key_id > ? "
                + "ORDER BY key_id LIMIT ?", JdbcKmsStore::key, account, afterKeyId == null ? "" : afterKeyId, limit);
    }

    @Override
    public boolean updateKey(RegistryId account, KmsKeyRecord k) {
        return sql.update("UPDATE kms_keys SET state = ?, deletion_at = ?, pending_window_days = ?, "
                        + "rotation_enabled = ?, rotation_period_days = ?, rotated_at = ?, current_version = ?, "
                        + "policy = ? WHERE registry_id = ? AND key_id = ?", k.state(), k.deletionAt(),
                k.pendingWindowDays(), k.rotationEnabled() ? 1 : 0, k.rotationPeriodDays(), k.rotatedAt(),
                k.currentVersion(), k.policy(), account, k.keyId()) > 0;
    }

    @Override
    public void deleteKey(RegistryId account, String keyId) {
        // children first: SQLite enforces the cascade only with foreign_keys on, and this does not rely on it
        sql.update("DELETE FROM kms_aliases WHERE registry_id = ? AND key_id = ?", account, keyId);
        sql.update("DELETE FROM kms_key_versions WHERE registry_id = ? AND key_id = ?", account, keyId);
        sql.update("DELETE FROM kms_keys WHERE registry_id = ? AND key_id = ?", account, keyId);
    }

    @Override
    public boolean addVersion(RegistryId account, String keyId, int version, byte[] sealedMaterial, Instant at) {
        return sql.update("INSERT INTO kms_key_versions (registry_id, key_id, version, material, created_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (registry_id, key_id, version) DO NOTHING", account, keyId,
                version, sealedMaterial, at) > 0;
    }

    @Override
    public Optional<byte[]> material(RegistryId account, String keyId, int version) {
        return sql.one("SELECT material FROM kms_key_versions WHERE registry_id = ? AND key_id = ? AND version = ?",
                rs -> rs.getBytes(1), account, keyId, version);
    }

    @Override
    public boolean createAlias(RegistryId account, KmsAliasRecord a) {
        return sql.update("INSERT INTO kms_aliases (registry_id, " + ALIAS_COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (registry_id, alias_name) DO NOTHING", account, a.aliasName(), a.keyId(),
                a.createdAt(), a.updatedAt()) > 0;
    }

    @Override
    public Optional<KmsAliasRecord> alias(RegistryId account, String aliasName) {
        return sql.one("SELECT " + ALIAS_COLUMNS + " FROM kms_aliases WHERE registry_id = ? AND alias_name = ?",
                JdbcKmsStore::alias, account, aliasName);
    }

    @Override
    public List<KmsAliasRecord> aliases(RegistryId account, String keyId, String afterName, int limit) {
        String after = afterName == null ? "" : afterName;
        if (keyId == null) {
            return sql.list("SELECT " + ALIAS_COLUMNS + " FROM kms_aliases WHERE registry_id = ? AND alias_name > ? "
                    + "ORDER BY alias_name LIMIT ?", JdbcKmsStore::alias, account, after, limit);
        }
        return sql.list("SELECT " + ALIAS_COLUMNS + " FROM kms_aliases WHERE registry_id = ? AND key_id = ? "
                + "AND alias_name > ? ORDER BY alias_name LIMIT ?", JdbcKmsStore::alias, account, keyId, after, limit);
    }

    @Override
    public boolean deleteAlias(RegistryId account, String aliasName) {
        return sql.update("DELETE FROM kms_aliases WHERE registry_id = ? AND alias_name = ?", account,
                aliasName) > 0;
    }

    private static KmsKeyRecord key(ResultSet rs) throws SQLException {
        return new KmsKeyRecord(rs.getString("key_id"), rs.getString("description"), rs.getString("key_manager"),
                rs.getString("state"), Sql.instant(rs, "created_at"), Sql.instant(rs, "deletion_at"),
                rs.getInt("pending_window_days"), rs.getInt("rotation_enabled") != 0,
                rs.getInt("rotation_period_days"), Sql.instant(rs, "rotated_at"), rs.getInt("current_version"),
                rs.getString("policy"));
    }

    private static KmsAliasRecord alias(ResultSet rs) throws SQLException {
        return new KmsAliasRecord(rs.getString("alias_name"), rs.getString("key_id"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
