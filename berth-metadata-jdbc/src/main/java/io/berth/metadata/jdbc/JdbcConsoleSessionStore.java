package io.berth.metadata.jdbc;

import io.berth.core.model.RegistryId;
import io.berth.core.spi.meta.ConsoleSessionStore;
import java.time.Instant;
import java.util.Optional;

final class JdbcConsoleSessionStore implements ConsoleSessionStore {
    private static final String COLUMNS = "id_hash, kind, account_id, user_name, access_key_id, created_at, "
            + "last_seen_at";

    private final Sql sql;

    JdbcConsoleSessionStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void create(SessionRecord s) {
        sql.update("INSERT INTO console_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", s.idHash(),
                s.kind(), s.account(), s.userName(), s.accessKeyId(), s.createdAt(), s.lastSeenAt());
    }

    @Override
    public Optional<SessionRecord> get(String idHash) {
        return sql.one("SELECT " + COLUMNS + " FROM console_sessions WHERE id_hash = ?", rs -> new SessionRecord(
                rs.getString("id_hash"), rs.getString("kind"), RegistryId.ofKey(rs.getString("account_id")),
                rs.getString("user_name"), rs.getString("access_key_id"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_seen_at")), idHash);
    }

    @Override
    public boolean touch(String idHash, Instant lastSeenAt) {
        return sql.update("UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?", lastSeenAt, idHash) > 0;
    }

    @Override
    public boolean delete(String idHash) {
        return sql.update("DELETE FROM console_sessions WHERE id_hash = ?", idHash) > 0;
    }

    @Override
    public int deleteExpired(Instant idleBefore, Instant createdBefore) {
        return sql.update("DELETE FROM console_sessions WHERE last_seen_at < ? OR created_at < ?", idleBefore,
                createdBefore);
    }

    @Override
    public long count() {
        return sql.one("SELECT COUNT(*) FROM console_sessions", rs -> rs.getLong(1)).orElse(0L);
    }
}
