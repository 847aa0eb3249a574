-- Access policies (column-for-column identical across sqlite/postgres). Documents are stored as submitted; the
-- server parses and validates them before writing and caches the parsed form. The audit work adds V5.

-- kind: REPOSITORY (owner = repository name), REGISTRY, USER_INLINE (owner = user), MANAGED (name = policy name).
-- No foreign key to repositories: a repository policy is removed by DeleteRepository, and keying by name keeps
-- cross-account evaluation free of a repository lookup.
CREATE TABLE policies (
    account_id TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    owner      TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    document   TEXT   NOT NULL,
    PRIMARY KEY (account_id, kind, owner, name)
);

-- Managed policies attached to IAM users, by policy ARN (as IAM's AttachUserPolicy takes it).
CREATE TABLE policy_attachments (
    account_id TEXT COLLATE "C" NOT NULL,
    user_name  TEXT COLLATE "C" NOT NULL,
    policy_arn TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, user_name, policy_arn)
);

-- ECR account settings (PutAccountSetting), e.g. REGISTRY_POLICY_SCOPE = V1 | V2.
CREATE TABLE account_settings (
    account_id TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    value      TEXT   NOT NULL,
    PRIMARY KEY (account_id, name)
);

-- One row, bumped in the same transaction as every change above; each node polls it to drop its policy cache.
CREATE TABLE policy_generation (
    id         INTEGER NOT NULL PRIMARY KEY,
    generation BIGINT  NOT NULL
);
INSERT INTO policy_generation (id, generation) VALUES (1, 0);
