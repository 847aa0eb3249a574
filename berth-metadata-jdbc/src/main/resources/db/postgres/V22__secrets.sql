-- Secrets Manager secrets (issue 12 §3: pull-through credentials). Column-for-column identical across
-- sqlite/postgres. Times are epoch milliseconds; deletion_date is set while a deletion is scheduled.
CREATE TABLE secrets (
    account_id       TEXT COLLATE "C" NOT NULL,
    name             TEXT COLLATE "C" NOT NULL,
    arn              TEXT COLLATE "C" NOT NULL UNIQUE,
    description      TEXT,
    kms_key_id       TEXT,
    tags_json        TEXT,
    owner_arn        TEXT   NOT NULL,
    created_at       BIGINT NOT NULL,
    last_changed_at  BIGINT NOT NULL,
    last_accessed_at BIGINT,
    deleted_at       BIGINT,
    deletion_date    BIGINT,
    PRIMARY KEY (account_id, name)
);

-- The sealed values: AWSCURRENT and AWSPREVIOUS (stage), each encrypted under the master key with the secret's
-- ARN and the version ID as associated data.
CREATE TABLE secret_versions (
    arn          TEXT COLLATE "C" NOT NULL,
    version_id   TEXT COLLATE "C" NOT NULL,
    stage        TEXT,
    value_kind   TEXT   NOT NULL,
    value_sealed BYTEA  NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (arn, version_id)
);
