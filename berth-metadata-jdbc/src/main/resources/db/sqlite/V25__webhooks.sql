-- Webhook receivers and their delivery log (sqlite flavour; column-for-column identical to the other). Times are
-- epoch milliseconds. A webhook's delivery cursor is its event_subscribers row ('webhook:' || id).
CREATE TABLE webhooks (
    id                TEXT PRIMARY KEY,
    url               TEXT NOT NULL,
    events            TEXT NOT NULL,   -- detail-types, comma-separated; '' for all
    repository_filter TEXT,
    secret            TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id  TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id    TEXT NOT NULL,
    position    BIGINT NOT NULL,
    detail_type TEXT NOT NULL,
    repository  TEXT,
    attempt     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    error       TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, position);
