-- Repository settings the ECR API records (V2 is the accounts schema of the identity work; the two are
-- independent, so either order applies cleanly). Must stay column-for-column identical across sqlite/postgres.
-- Defaults give every existing repository ECR's defaults: MUTABLE, no scan on push, AES256.

ALTER TABLE repositories ADD COLUMN tag_mutability     TEXT    NOT NULL DEFAULT 'MUTABLE';
-- Wildcard filters joined by newlines ('' for none); a filter can never contain a newline.
ALTER TABLE repositories ADD COLUMN mutability_filters TEXT    NOT NULL DEFAULT '';
ALTER TABLE repositories ADD COLUMN scan_on_push       BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE repositories ADD COLUMN encryption_type    TEXT    NOT NULL DEFAULT 'AES256';
ALTER TABLE repositories ADD COLUMN kms_key            TEXT;

-- ECR resource tags (TagResource), at most 50 per repository, enforced by the service.
CREATE TABLE repository_resource_tags (
    repo_id   BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    tag_key   TEXT NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (repo_id, tag_key)
);

-- lastRecordedPullTime: written at most hourly per image, off the pull path.
ALTER TABLE manifests ADD COLUMN last_pulled_at BIGINT;
