-- Configured vulnerability-data feeds (scanning.feeds, issue 10 §2); column-for-column identical across
-- sqlite/postgres. What the last fetch of each URL was told (ETag, Last-Modified), so the next one is conditional
-- and an unchanged feed costs a 304, not an import. Times are epoch milliseconds.
CREATE TABLE vuln_feeds (
    url           TEXT   NOT NULL PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    source        TEXT,
    checked_at    BIGINT NOT NULL,
    changed_at    BIGINT,
    last_error    TEXT
);
