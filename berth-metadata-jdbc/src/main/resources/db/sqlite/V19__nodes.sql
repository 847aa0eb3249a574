-- The nodes serving this database (issue 11 §2), column-for-column identical across sqlite/postgres. Each running
-- `berth serve` upserts its row every few seconds (last_seen_at) and deletes it on a graceful stop; a row that stops
-- moving is a node that died (kill -9, a lost host), shown as dead by `berth admin nodes` until it is pruned. Times
-- are epoch milliseconds. node_id is the job-lease owner name of the process, so `admin jobs` and `admin nodes`
-- name a node the same way.
CREATE TABLE nodes (
    node_id      TEXT   NOT NULL PRIMARY KEY,
    version      TEXT   NOT NULL,
    address      TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
