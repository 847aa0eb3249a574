-- Replication (issue 12 §2); identical across sqlite/postgres. registry_id is the registry key (see V20). Times are
-- epoch milliseconds. config is the validated PutReplicationConfiguration JSON ({"rules":[…]}).
CREATE TABLE replication_configs (
    registry_id TEXT   NOT NULL PRIMARY KEY,
    config      TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- One row per image and destination: IN_PROGRESS, COMPLETE or FAILED (with failure_code, the reason). Not tied to
-- manifests: it is only read for an image that exists (DescribeImageReplicationStatus looks the image up first).
CREATE TABLE replication_status (
    registry_id          TEXT   NOT NULL,
    repository           TEXT   NOT NULL,
    digest               TEXT   NOT NULL,
    destination_region   TEXT   NOT NULL,
    destination_registry TEXT   NOT NULL,
    status               TEXT   NOT NULL,
    failure_code         TEXT,
    updated_at           BIGINT NOT NULL,
    PRIMARY KEY (registry_id, repository, digest, destination_region, destination_registry)
);
