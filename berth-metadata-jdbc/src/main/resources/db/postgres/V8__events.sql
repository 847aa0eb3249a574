-- The event stream (postgres flavour; column-for-column identical to db/sqlite/V8__events.sql): a transactional outbox.
-- Services append an event in the transaction of the change it describes. Times are epoch milliseconds.
-- V7 belongs to the job-runner branch; Flyway does not need contiguous versions.

-- One row: the last position handed out. Appending updates it first, so its row lock (held to commit) hands out
-- positions in commit order and a subscriber reading "after p" never skips a later-committing smaller position.
CREATE TABLE event_head (
    id            INTEGER PRIMARY KEY,
    last_position BIGINT NOT NULL
);
INSERT INTO event_head (id, last_position) VALUES (1, 0);

-- The per-repository sequence; repository_key is '' for account-wide events. Not tied to the repositories table,
-- so a repository's deletion (and re-creation) keeps counting.
CREATE TABLE event_sequences (
    account        TEXT COLLATE "C" NOT NULL,
    repository_key TEXT COLLATE "C" NOT NULL,
    last_sequence  BIGINT NOT NULL,
    PRIMARY KEY (account, repository_key)
);

CREATE TABLE events (
    position   BIGINT PRIMARY KEY,
    sequence   BIGINT NOT NULL,
    event_type TEXT COLLATE "C" NOT NULL,
    account    TEXT COLLATE "C" NOT NULL,
    region     TEXT,
    repository TEXT COLLATE "C",
    digest     TEXT COLLATE "C",
    tags       TEXT,
    principal  TEXT NOT NULL,
    reason     TEXT,
    detail     TEXT,
    event_time BIGINT NOT NULL
);
CREATE INDEX events_repository ON events (repository, position);
CREATE INDEX events_time ON events (event_time, position);

-- Durable subscribers: each one's acknowledged position. Pruning keeps every event some subscriber has not acked.
CREATE TABLE event_subscribers (
    name       TEXT COLLATE "C" PRIMARY KEY,
    position   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
