package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.AuditEvent;
import io.berth.core.spi.meta.AuditEvent.UserIdentity;
import io.berth.core.spi.meta.AuditQuery;
import io.berth.core.spi.meta.AuditStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code audit_events}: appended in JDBC batches, read newest first with {@code seq} as the paging cursor. */
final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "event_time, event_name, event_source, identity_type, account_id, "
            + "principal_arn, access_key_id, user_name, source_ip, user_agent, request_parameters, response_elements, "
            + "error_code, error_message, request_id, repository, registry_id";

    private final Sql sql;

    JdbcAuditStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void append(List<AuditEvent> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            UserIdentity u = e.userIdentity();
            rows.add(new Object[] {e.eventTime(), e.eventName(), e.eventSource(), u.type(), u.accountId(), u.arn(),
                    u.accessKeyId(), u.userName(), e.sourceIPAddress(), e.userAgent(), e.requestParameters(),
                    e.responseElements(), e.errorCode(), e.errorMessage(), e.requestId(), e.repository(),
                    e.registryId()});
        }
        sql.batch("INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?)", rows);
    }

    @Override
    public Page query(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            where.append(" AND event_time >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            where.append(" AND event_time < ?");
            args.add(q.to());
        }
        if (q.principal() != null) {
            // one value for the three ways to name a caller; each side of the OR has its own index
            where.append(" AND (principal_arn = ? OR access_key_id = ? OR account_id = ?)");
            args.add(q.principal());
            args.add(q.principal());
            args.add(q.principal());
        }
        if (q.repository() != null) {
            where.append(" AND repository = ?");
            args.add(q.repository());
        }
        if (q.eventName() != null) {
            where.append(" AND event_name = ?");
            args.add(q.eventName());
        }
        if (q.cursor() != null) {
            where.append(" AND seq < ?");
            args.add(cursor(q.cursor()));
        }
        args.add(q.limit() + 1); // one more than asked says whether there is a next page
        List<long[]> seqs = new ArrayList<>();
        List<AuditEvent> events = sql.list("SELECT seq, " + COLUMNS + " FROM audit_events" + where
                + " ORDER BY seq DESC LIMIT ?", rs -> {
                    seqs.add(new long[] {rs.getLong("seq")});
                    return event(rs);
                }, args.toArray());
        if (events.size() <= q.limit()) {
            return new Page(events, null);
        }
        return new Page(List.copyOf(events.subList(0, q.limit())), Long.toString(seqs.get(q.limit() - 1)[0]));
    }

    /** The oldest first, through the (event_time, seq) index; the same statement on SQLite and PostgreSQL. */
    @Override
    public int deleteBefore(Instant cutoff, int limit) {
        return sql.update("DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_events WHERE event_time < ? "
                + "ORDER BY event_time, seq LIMIT ?)", cutoff, limit);
    }

    private static long cursor(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an audit cursor: " + cursor, e);
        }
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(Sql.instant(rs, "event_time"), rs.getString("event_name"),
                rs.getString("event_source"), new UserIdentity(rs.getString("identity_type"),
                rs.getString("account_id"), rs.getString("principal_arn"), rs.getString("access_key_id"),
                rs.getString("user_name")), rs.getString("source_ip"), rs.getString("user_agent"),
                rs.getString("request_parameters"), rs.getString("response_elements"), rs.getString("error_code"),
                rs.getString("error_message"), rs.getString("request_id"), rs.getString("repository"),
                rs.getString("registry_id"));
    }
}
