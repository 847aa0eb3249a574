-- Accounts, IAM users and access keys (SQLite flavour; column-for-column identical to db/postgres/V2__identity.sql).
-- Secrets are AES-256-GCM ciphertext under a master key that is never stored in this database. Rows are never
-- deleted, only marked REVOKED, so an access key ID cannot be reissued.

CREATE TABLE accounts (
    account_id TEXT   NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE iam_users (
    account_id TEXT   NOT NULL REFERENCES accounts (account_id),
    name       TEXT   NOT NULL,
    user_id    TEXT   NOT NULL UNIQUE,
    status     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, name)
);

-- user_name NULL is the account's root; the composite foreign key is not checked for it (MATCH SIMPLE).
CREATE TABLE access_keys (
    access_key_id    TEXT   NOT NULL PRIMARY KEY,
    account_id       TEXT   NOT NULL REFERENCES accounts (account_id),
    user_name        TEXT,
    secret_encrypted BLOB   NOT NULL,
    status           TEXT   NOT NULL,
    created_at       BIGINT NOT NULL,
    FOREIGN KEY (account_id, user_name) REFERENCES iam_users (account_id, name)
);
CREATE INDEX access_keys_account ON access_keys (account_id, created_at);
