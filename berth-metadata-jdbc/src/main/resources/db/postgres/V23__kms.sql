-- The key service (issue 11 §3). Column-for-column identical across sqlite/postgres. Times are epoch milliseconds;
-- deletion_at is 0 for a key that is not pending deletion. Key material is only ever stored sealed under the
-- master key, one row per version: rotation adds a version and keeps the old ones for Decrypt.
CREATE TABLE kms_keys (
    registry_id          TEXT COLLATE "C" NOT NULL,
    key_id               TEXT COLLATE "C" NOT NULL,
    description          TEXT    NOT NULL,
    key_manager          TEXT    NOT NULL,
    state                TEXT    NOT NULL,
    created_at           BIGINT  NOT NULL,
    deletion_at          BIGINT  NOT NULL,
    pending_window_days  INTEGER NOT NULL,
    rotation_enabled     INTEGER NOT NULL,
    rotation_period_days INTEGER NOT NULL,
    rotated_at           BIGINT  NOT NULL,
    current_version      INTEGER NOT NULL,
    policy               TEXT    NOT NULL,
    PRIMARY KEY (registry_id, key_id)
);

CREATE TABLE kms_key_versions (
    registry_id TEXT COLLATE "C" NOT NULL,
    key_id      TEXT COLLATE "C" NOT NULL,
    version     INTEGER NOT NULL,
    material    BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (registry_id, key_id, version),
    FOREIGN KEY (registry_id, key_id) REFERENCES kms_keys (registry_id, key_id) ON DELETE CASCADE
);

CREATE TABLE kms_aliases (
    registry_id TEXT COLLATE "C" NOT NULL,
    alias_name  TEXT COLLATE "C" NOT NULL,
    key_id      TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (registry_id, alias_name),
    FOREIGN KEY (registry_id, key_id) REFERENCES kms_keys (registry_id, key_id) ON DELETE CASCADE
);
CREATE INDEX kms_aliases_by_key ON kms_aliases (registry_id, key_id);
