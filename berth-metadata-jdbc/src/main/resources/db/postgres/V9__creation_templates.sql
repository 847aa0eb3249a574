-- Repository creation templates and pull-time update exclusions (issue 9 §4, §5). Column-for-column identical
-- across sqlite/postgres. V7 and V8 belong to branches worked on alongside; Flyway needs no contiguous versions.

-- prefix: the namespace without its trailing '/', or ROOT. resource_tags is a JSON object (key order kept);
-- mutability_filters and applied_for are joined by newlines, like repositories.mutability_filters.
-- Times are epoch milliseconds.
CREATE TABLE creation_templates (
    registry_id        TEXT COLLATE "C" NOT NULL,
    prefix             TEXT COLLATE "C" NOT NULL,
    description        TEXT,
    encryption_type    TEXT   NOT NULL,
    kms_key            TEXT,
    resource_tags      TEXT   NOT NULL,
    tag_mutability     TEXT   NOT NULL,
    mutability_filters TEXT   NOT NULL,
    repository_policy  TEXT,
    lifecycle_policy   TEXT,
    applied_for        TEXT   NOT NULL,
    custom_role_arn    TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (registry_id, prefix)
);

-- Principals whose pulls leave lastRecordedPullTime alone (RegisterPullTimeUpdateExclusion).
CREATE TABLE pull_time_exclusions (
    registry_id   TEXT COLLATE "C" NOT NULL,
    principal_arn TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (registry_id, principal_arn)
);
