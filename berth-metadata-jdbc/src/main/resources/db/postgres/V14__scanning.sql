-- Vulnerability scanning (issue 10 §3); column-for-column identical across sqlite/postgres. Times are epoch ms.

-- PutRegistryScanningConfiguration, one row per registry; no row means BASIC with no rules. rules is the rules list
-- as JSON ([{"scanFrequency":…,"repositoryFilters":["…"]}]), validated by the server before it is written.
CREATE TABLE registry_scanning (
    account_id TEXT   NOT NULL PRIMARY KEY,
    scan_type  TEXT   NOT NULL,
    rules      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The last scan of each image, which goes with the image (and with its repository). started_at also enforces
-- ECR's one scan per image per 24 hours. severity_counts (JSON object) and findings (JSON array) are set when the
-- scan completes.
CREATE TABLE image_scans (
    repo_id           BIGINT NOT NULL,
    digest            TEXT   NOT NULL,
    scan_type         TEXT   NOT NULL,
    status            TEXT   NOT NULL,
    description       TEXT,
    started_at        BIGINT NOT NULL,
    completed_at      BIGINT,
    source_updated_at BIGINT,
    severity_counts   TEXT,
    findings          TEXT,
    PRIMARY KEY (repo_id, digest),
    FOREIGN KEY (repo_id, digest) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
