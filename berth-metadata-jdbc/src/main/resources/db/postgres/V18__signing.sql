-- Image signing (issue 13). Column-for-column identical across sqlite/postgres. Times are epoch milliseconds.
-- Every table is keyed by the registry, like the other per-registry settings.

-- Each registry's signing root CA: its certificate (DER) and its private key sealed under the master key.
CREATE TABLE signing_roots (
    registry_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    certificate   BYTEA   NOT NULL,
    key_encrypted BYTEA   NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Signer signing profiles. status: Active, Canceled or Revoked; a name is never reused (Signer's rule).
-- validity_type: DAYS, MONTHS or YEARS. certificate: the profile's code-signing certificate (DER) under the root.
CREATE TABLE signing_profiles (
    registry_id        TEXT COLLATE "C" NOT NULL,
    name               TEXT COLLATE "C" NOT NULL,
    version            TEXT   NOT NULL,
    platform_id        TEXT   NOT NULL,
    validity_value     INTEGER NOT NULL,
    validity_type      TEXT   NOT NULL,
    status             TEXT   NOT NULL,
    status_reason      TEXT,
    certificate        BYTEA   NOT NULL,
    key_encrypted      BYTEA   NOT NULL,
    revoked_at         BIGINT,
    revoked_by         TEXT,
    revoked_from       BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (registry_id, name)
);

-- One signature made: a Signer signing job. status: InProgress, Succeeded or Failed.
CREATE TABLE signing_jobs (
    registry_id          TEXT COLLATE "C" NOT NULL,
    job_id               TEXT COLLATE "C" NOT NULL,
    profile_name         TEXT   NOT NULL,
    profile_version      TEXT   NOT NULL,
    repository           TEXT COLLATE "C" NOT NULL,
    digest               TEXT COLLATE "C" NOT NULL,
    signature_digest     TEXT,
    status               TEXT   NOT NULL,
    status_reason        TEXT,
    requested_by         TEXT   NOT NULL,
    created_at           BIGINT NOT NULL,
    completed_at         BIGINT,
    signature_expires_at BIGINT,
    revoked_at           BIGINT,
    revoked_by           TEXT,
    revocation_reason    TEXT,
    PRIMARY KEY (registry_id, job_id)
);
CREATE INDEX signing_jobs_by_image ON signing_jobs (registry_id, repository, digest);
CREATE INDEX signing_jobs_by_time ON signing_jobs (registry_id, created_at, job_id);

-- ECR's registry signing configuration, as its canonical JSON.
CREATE TABLE signing_configurations (
    registry_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    configuration TEXT   NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- DescribeImageSigningStatus: per image and profile. status: IN_PROGRESS, COMPLETE or FAILED.
CREATE TABLE image_signing_status (
    registry_id    TEXT COLLATE "C" NOT NULL,
    repository     TEXT COLLATE "C" NOT NULL,
    digest         TEXT COLLATE "C" NOT NULL,
    profile_arn    TEXT COLLATE "C" NOT NULL,
    status         TEXT   NOT NULL,
    failure_code   TEXT,
    failure_reason TEXT,
    job_id         TEXT,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (registry_id, repository, digest, profile_arn)
);

-- Verification on pull (Berth's own setting): images of repositories matching the filter must carry a valid
-- signature by one of the profiles (profile version ARNs or profile ARNs, a JSON array).
CREATE TABLE signing_requirements (
    registry_id TEXT COLLATE "C" NOT NULL,
    filter      TEXT COLLATE "C" NOT NULL,
    profiles    TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (registry_id, filter)
);
