package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.PolicyStore;
import java.util.List;
import java.util.Optional;

final class JdbcPolicyStore implements PolicyStore {

    private final Sql sql;

    JdbcPolicyStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<String> get(PolicyKey key) {
        return sql.one("SELECT document FROM policies WHERE account_id = ? AND kind = ? AND owner = ? AND name = ?",
                rs -> rs.getString(1), key.account(), key.kind().name(), key.owner(), key.name());
    }

    @Override
    public void put(PolicyKey key, String document) {
        sql.update("INSERT INTO policies (account_id, kind, owner, name, document) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (account_id, kind, owner, name) DO UPDATE SET document = excluded.document",
                key.account(), key.kind().name(), key.owner(), key.name(), document);
        bump();
    }

    @Override
    public boolean delete(PolicyKey key) {
        return bumpIf(sql.update("DELETE FROM policies WHERE account_id = ? AND kind = ? AND owner = ? AND name = ?",
                key.account(), key.kind().name(), key.owner(), key.name()) > 0);
    }

    @Override
    public List<PolicyKey> list(RegistryId account, Kind kind, String owner) {
        String q = "SELECT owner, name FROM policies WHERE account_id = ? AND kind = ?"
                + (owner == null ? "" : " AND owner = ?") + " ORDER BY owner, name";
        Object[] args = owner == null ? new Object[] {account, kind.name()} : new Object[] {account, kind.name(), owner};
        return sql.list(q, rs -> new PolicyKey(account, kind, rs.getString(1), rs.getString(2)), args);
    }

    @Override
    public boolean attach(RegistryId account, String user, String policyArn) {
        return bumpIf(sql.update("INSERT INTO policy_attachments (account_id, user_name, policy_arn) VALUES (?, ?, ?) "
                + "ON CONFLICT (account_id, user_name, policy_arn) DO NOTHING", account, user, policyArn) > 0);
    }

    @Override
    public boolean detach(RegistryId account, String user, String policyArn) {
        return bumpIf(sql.update("DELETE FROM policy_attachments WHERE account_id = ? AND user_name = ? "
                + "AND policy_arn = ?", account, user, policyArn) > 0);
    }

    @Override
    public List<String> attached(RegistryId account, String user) {
        return sql.list("SELECT policy_arn FROM policy_attachments WHERE account_id = ? AND user_name = ? "
                + "ORDER BY policy_arn", rs -> rs.getString(1), account, user);
    }

    @Override
    public Optional<String> setting(RegistryId account, String name) {
        return sql.one("SELECT value FROM account_settings WHERE account_id = ? AND name = ?", rs -> rs.getString(1),
                account, name);
    }

    @Override
    public void putSetting(RegistryId account, String name, String value) {
        sql.update("INSERT INTO account_settings (account_id, name, value) VALUES (?, ?, ?) "
                + "ON CONFLICT (account_id, name) DO UPDATE SET value = excluded.value", account, name, value);
        bump();
    }

    @Override
    public long generation() {
        return sql.one("SELECT generation FROM policy_generation WHERE id = 1", rs -> rs.getLong(1)).orElse(0L);
    }

    private boolean bumpIf(boolean changed) {
        if (changed) {
            bump();
        }
        return changed;
    }

    private void bump() {
        sql.update("UPDATE policy_generation SET generation = generation + 1 WHERE id = 1");
    }
}
