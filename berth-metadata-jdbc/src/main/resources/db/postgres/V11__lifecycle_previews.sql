-- Lifecycle policy previews (StartLifecyclePolicyPreview / GetLifecyclePolicyPreview, issue 9 §2); column-for-column
-- identical across sqlite/postgres. One preview per repository: a new start replaces a finished one. Both tables go
-- with their repository (ON DELETE CASCADE). Times are epoch milliseconds.
CREATE TABLE lifecycle_previews (
    repo_id             BIGINT  NOT NULL PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    policy_text         TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    started_at          BIGINT  NOT NULL,
    finished_at         BIGINT,
    error               TEXT,
    expiring_count      INTEGER NOT NULL,
    transitioning_count INTEGER NOT NULL
);

-- What the preview acts on, in the order evaluation decided it (position 0, 1, ...). tags is the image's tags
-- joined by newlines (a tag cannot contain one), empty for an untagged image.
CREATE TABLE lifecycle_preview_results (
    repo_id              BIGINT  NOT NULL REFERENCES lifecycle_previews (repo_id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    digest               TEXT    NOT NULL,
    tags                 TEXT    NOT NULL,
    pushed_at            BIGINT  NOT NULL,
    action               TEXT    NOT NULL,
    target_storage_class TEXT,
    rule_priority        INTEGER NOT NULL,
    storage_class        TEXT    NOT NULL,
    PRIMARY KEY (repo_id, position)
);
