-- The audit trail (sqlite flavour; column-for-column identical to db/postgres/V5__audit.sql): one row per audited
-- request, append-only. request_parameters / response_elements are JSON text, already redacted by the server.
-- Times are epoch milliseconds. seq orders rows (newest first) and is the paging cursor.
-- V4 belongs to the access-policy branch; Flyway does not need contiguous versions.

CREATE TABLE audit_events (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    event_time         BIGINT NOT NULL,
    event_name         TEXT NOT NULL,
    event_source       TEXT   NOT NULL,
    identity_type      TEXT   NOT NULL,
    account_id         TEXT,
    principal_arn      TEXT,
    access_key_id      TEXT,
    user_name          TEXT,
    source_ip          TEXT,
    user_agent         TEXT,
    request_parameters TEXT,
    response_elements  TEXT,
    error_code         TEXT,
    error_message      TEXT,
    request_id         TEXT,
    repository         TEXT,
    registry_id        TEXT
);
-- one index per filter of berth admin audit; each ends in seq so the newest-first page is an index range scan
CREATE INDEX audit_events_time ON audit_events (event_time, seq);
CREATE INDEX audit_events_repository ON audit_events (repository, seq);
CREATE INDEX audit_events_name ON audit_events (event_name, seq);
CREATE INDEX audit_events_arn ON audit_events (principal_arn, seq);
CREATE INDEX audit_events_key ON audit_events (access_key_id, seq);
CREATE INDEX audit_events_account ON audit_events (account_id, seq);
