package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.IdentityStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcIdentityStore implements IdentityStore {

    private static final String USER_COLUMNS = "account_id, name, user_id, status, created_at";
    private static final String KEY_COLUMNS =
            "access_key_id, account_id, user_name, secret_encrypted, status, created_at";

    private final Sql sql;

    JdbcIdentityStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean createAccount(AccountRecord account) {
        return sql.update("INSERT INTO accounts (account_id, created_at) VALUES (?, ?) "
                + "ON CONFLICT (account_id) DO NOTHING", account.id(), account.createdAt()) > 0;
    }

    @Override
    public List<AccountRecord> listAccounts() {
        return sql.list("SELECT account_id, created_at FROM accounts ORDER BY account_id",
                rs -> new AccountRecord(new RegistryId(rs.getString("account_id")), Sql.instant(rs, "created_at")));
    }

    @Override
    public boolean createUser(UserRecord user) {
        return sql.update("INSERT INTO iam_users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (account_id, name) DO NOTHING",
                user.account(), user.name(), user.userId(), user.status().name(), user.createdAt()) > 0;
    }

    @Override
    public Optional<UserRecord> getUser(RegistryId account, String name) {
        return sql.one("SELECT " + USER_COLUMNS + " FROM iam_users WHERE account_id = ? AND name = ?",
                JdbcIdentityStore::user, account, name);
    }

    @Override
    public List<UserRecord> listUsers(RegistryId account) {
        return sql.list("SELECT " + USER_COLUMNS + " FROM iam_users WHERE account_id = ? ORDER BY name",
                JdbcIdentityStore::user, account);
    }

    @Override
    public boolean setUserStatus(RegistryId account, String name, Status status) {
        return sql.update("UPDATE iam_users SET status = ? WHERE account_id = ? AND name = ?", status.name(),
                account, name) > 0;
    }

    @Override
    public void createAccessKey(AccessKeyRecord key) {
        sql.update("INSERT INTO access_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", key.accessKeyId(),
                key.account(), key.userName(), key.encryptedSecret(), key.status().name(), key.createdAt());
    }

    @Override
    public Optional<AccessKeyRecord> getAccessKey(String accessKeyId) {
        return sql.one("SELECT " + KEY_COLUMNS + " FROM access_keys WHERE access_key_id = ?",
                JdbcIdentityStore::key, accessKeyId);
    }

    @Override
    public List<AccessKeyRecord> listAccessKeys(RegistryId account) {
        return sql.list("SELECT " + KEY_COLUMNS + " FROM access_keys WHERE account_id = ? "
                + "ORDER BY created_at, access_key_id", JdbcIdentityStore::key, account);
    }

    @Override
    public boolean setAccessKeyStatus(String accessKeyId, Status status) {
        return sql.update("UPDATE access_keys SET status = ? WHERE access_key_id = ?", status.name(),
                accessKeyId) > 0;
    }

    @Override
    public boolean setConsolePassword(RegistryId account, String userName, String passwordHash,
                                      java.time.Instant updatedAt) {
        if (getUser(account, userName).isEmpty()) {
            return false;
        }
        return sql.update("INSERT INTO console_passwords (account_id, user_name, password_hash, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, user_name) DO UPDATE SET "
                + "password_hash = excluded.password_hash, updated_at = excluded.updated_at",
                account, userName, passwordHash, updatedAt) > 0;
    }

    @Override
    public Optional<String> consolePassword(RegistryId account, String userName) {
        return sql.one("SELECT password_hash FROM console_passwords WHERE account_id = ? AND user_name = ?",
                rs -> rs.getString(1), account, userName);
    }

    @Override
    public boolean deleteConsolePassword(RegistryId account, String userName) {
        return sql.update("DELETE FROM console_passwords WHERE account_id = ? AND user_name = ?", account,
                userName) > 0;
    }

    private static UserRecord user(ResultSet rs) throws SQLException {
        return new UserRecord(new RegistryId(rs.getString("account_id")), rs.getString("name"),
                rs.getString("user_id"), Status.valueOf(rs.getString("status")), Sql.instant(rs, "created_at"));
    }

    private static AccessKeyRecord key(ResultSet rs) throws SQLException {
        return new AccessKeyRecord(rs.getString("access_key_id"), new RegistryId(rs.getString("account_id")),
                rs.getString("user_name"), rs.getBytes("secret_encrypted"), Status.valueOf(rs.getString("status")),
                Sql.instant(rs, "created_at"));
    }

    @Override
    public String deploymentId() {
        return sql.one("SELECT deployment_id FROM deployment WHERE id = 1", rs -> rs.getString(1))
                .orElseThrow(() -> new io.berth.core.spi.meta.MetadataException(
                        "the deployment row is missing (migration V6 not applied?)", null));
    }

    @Override
    public String pinDefaultRegion(String region) {
        sql.update("UPDATE deployment SET default_region = ? WHERE id = 1 AND default_region IS NULL", region);
        return sql.one("SELECT default_region FROM deployment WHERE id = 1", rs -> rs.getString(1))
                .orElseThrow(() -> new IllegalStateException("the deployment row is missing"));
    }
}
