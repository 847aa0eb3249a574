package io.berth.metadata.jdbc;

import io.berth.core.spi.meta.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class JdbcWebhookStore implements WebhookStore {
    private static final String COLUMNS = "id, url, events, repository_filter, secret, created_at";
    private static final String DELIVERY_COLUMNS = "webhook_id, event_id, position, detail_type, repository, attempt, "
            + "status, http_status, error, at";

    private final Sql sql;

    JdbcWebhookStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void create(WebhookRecord w) {
        sql.update("INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", w.id(), w.url(),
                String.join(",", w.events().stream().sorted().toList()), w.repositoryFilter(), w.secret(),
                w.createdAt());
    }

    @Override
    public Optional<WebhookRecord> get(String id) {
        return sql.one("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", JdbcWebhookStore::webhook, id);
    }

    @Override
    public List<WebhookRecord> list() {
        return sql.list("SELECT " + COLUMNS + " FROM webhooks ORDER BY created_at, id", JdbcWebhookStore::webhook);
    }

    @Override
    public boolean delete(String id) {
        // children first: SQLite enforces the cascade only with foreign_keys on, and this does not rely on it
        sql.update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", id);
        sql.update("DELETE FROM webhook_leases WHERE webhook_id = ?", id);
        return sql.update("DELETE FROM webhooks WHERE id = ?", id) > 0;
    }

    @Override
    public void recordDelivery(DeliveryRecord d) {
        sql.update("INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.webhookId(), d.eventId(), d.position(), d.detailType(), d.repository(), d.attempt(),
                d.status().name(), d.httpStatus(), d.error(), d.at());
    }

    @Override
    public int attempts(String webhookId, long position) {
        return sql.one("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND position = ?",
                rs -> rs.getInt(1), webhookId, position).orElse(0);
    }

    @Override
    public List<DeliveryRecord> deliveries(String webhookId, DeliveryStatus status, int limit) {
        return sql.list("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE (? IS NULL OR webhook_id = ?) "
                        + "AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?", JdbcWebhookStore::delivery,
                webhookId, webhookId, status == null ? null : status.name(), status == null ? null : status.name(),
                limit);
    }

    @Override
    public boolean lease(String webhookId, String owner, java.time.Instant now, java.time.Instant until) {
        // the conditional update is the lease: of two nodes racing for an expired one, the second finds it renewed
        if (sql.update("UPDATE webhook_leases SET owner = ?, expires_at = ? WHERE webhook_id = ? "
                + "AND (owner = ? OR expires_at < ?)", owner, until, webhookId, owner, now) > 0) {
            return true;
        }
        // no row yet: the first insert wins, a racing one does nothing (no error to abort the transaction)
        return sql.update("INSERT INTO webhook_leases (webhook_id, owner, expires_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (webhook_id) DO NOTHING", webhookId, owner, until) > 0;
    }

    @Override
    public void releaseLeases(String owner) {
        sql.update("DELETE FROM webhook_leases WHERE owner = ?", owner);
    }

    @Override
    public Optional<String> leaseHolder(String webhookId, java.time.Instant now) {
        return sql.one("SELECT owner FROM webhook_leases WHERE webhook_id = ? AND expires_at >= ?",
                rs -> rs.getString(1), webhookId, now);
    }

    private static WebhookRecord webhook(ResultSet rs) throws SQLException {
        String events = rs.getString("events");
        Set<String> types = events.isEmpty() ? Set.of()
                : Arrays.stream(events.split(",")).collect(Collectors.toUnmodifiableSet());
        return new WebhookRecord(rs.getString("id"), rs.getString("url"), types, rs.getString("repository_filter"),
                rs.getString("secret"), Sql.instant(rs, "created_at"));
    }

    private static DeliveryRecord delivery(ResultSet rs) throws SQLException {
        return new DeliveryRecord(rs.getString("webhook_id"), rs.getString("event_id"), rs.getLong("position"),
                rs.getString("detail_type"), rs.getString("repository"), rs.getInt("attempt"),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("http_status"), rs.getString("error"),
                Sql.instant(rs, "at"));
    }
}
