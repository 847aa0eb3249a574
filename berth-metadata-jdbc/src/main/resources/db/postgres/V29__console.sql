-- The web console's IAM user passwords and its sessions (issue 14 §1; postgres flavour, column-for-column identical
-- to db/sqlite/V26__console.sql). Times are epoch milliseconds.
--
-- password_hash is 'pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>': a slow salted hash, never the
-- password. A session row is keyed by the SHA-256 of its cookie value, so reading this table yields no usable
-- cookie; every node over the database honours every node's sessions, and signing out deletes the row.
CREATE TABLE console_passwords (
    account_id    TEXT COLLATE "C" NOT NULL,
    user_name     TEXT COLLATE "C" NOT NULL,
    password_hash TEXT   NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, user_name),
    FOREIGN KEY (account_id, user_name) REFERENCES iam_users (account_id, name)
);

CREATE TABLE console_sessions (
    id_hash       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind          TEXT   NOT NULL,
    account_id    TEXT COLLATE "C" NOT NULL,
    user_name     TEXT COLLATE "C",
    access_key_id TEXT COLLATE "C",
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
