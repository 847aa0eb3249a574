-- Pull-through cache rules (issue 12 §3). Column-for-column identical across sqlite/postgres.
-- prefix: the ECR repository prefix without its trailing '/', or ROOT. Times are epoch milliseconds.
CREATE TABLE pull_through_rules (
    registry_id                TEXT COLLATE "C" NOT NULL,
    prefix                     TEXT COLLATE "C" NOT NULL,
    upstream_registry_url      TEXT   NOT NULL,
    upstream_registry          TEXT,
    credential_arn             TEXT,
    custom_role_arn            TEXT,
    upstream_repository_prefix TEXT   NOT NULL,
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL,
    PRIMARY KEY (registry_id, prefix)
);

-- When each cached tag was last fetched or checked upstream: a tag is re-checked at most once per
-- pull-through.refresh-interval, and every node of a deployment sees the same time.
CREATE TABLE pull_through_tag_checks (
    registry_id TEXT COLLATE "C" NOT NULL,
    repository  TEXT COLLATE "C" NOT NULL,
    tag         TEXT COLLATE "C" NOT NULL,
    checked_at  BIGINT NOT NULL,
    PRIMARY KEY (registry_id, repository, tag)
);
