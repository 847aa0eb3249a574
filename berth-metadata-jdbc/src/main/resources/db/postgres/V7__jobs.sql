-- Background jobs (postgres flavour; column-for-column identical to db/sqlite/V7__jobs.sql): one row per job, from enqueue
-- to SUCCEEDED, FAILED or CANCELLED. A runner leases a job by writing lease_owner and lease_expires_at and renews the
-- lease while it runs; when its node dies the lease expires and another runner takes the job over. Times are epoch
-- milliseconds. target is the empty string for jobs of the whole registry (gc).

CREATE TABLE jobs (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    unique_key       TEXT,
    state            TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    max_attempts     INTEGER NOT NULL,
    next_run_at      BIGINT  NOT NULL,
    progress         TEXT,
    progress_percent INTEGER,
    last_error       TEXT,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
-- a scheduled or event-triggered job is enqueued once: at most one unfinished job per key (a finished one may be
-- followed by the next occurrence under the same key)
CREATE UNIQUE INDEX jobs_active_key ON jobs (unique_key) WHERE state IN ('QUEUED', 'RUNNING');
-- what a runner polls: due queued jobs, and running ones whose lease expired (their node died)
CREATE INDEX jobs_due ON jobs (state, next_run_at);
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
-- berth admin jobs, newest first, by kind
CREATE INDEX jobs_kind ON jobs (kind, id);
