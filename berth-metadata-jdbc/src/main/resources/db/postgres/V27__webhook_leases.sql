-- Which node delivers each webhook (postgres flavour; column-for-column identical to the other). A node takes a lease
-- with a conditional update (no holder, its own, or an expired one), renews it every second while it runs, and
-- deletes it when it stops; another node takes an expired lease over. Times are epoch milliseconds.
CREATE TABLE webhook_leases (
    webhook_id TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
