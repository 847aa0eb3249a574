-- Berth metadata schema, SQLite flavour. Must stay column-for-column identical to db/postgres/V1__init.sql: one JDBC
-- implementation reads both. Timestamps are epoch milliseconds; digests are text such as 'sha256:...'.
-- SQLite's default BINARY collation already orders text by bytes, as listing requires.

-- AUTOINCREMENT so a deleted repository's id is never handed out again (stale ids in logs or in-flight uploads must
-- not silently point at a new repository).
CREATE TABLE repositories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    registry_id TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (registry_id, name)
);

CREATE TABLE blobs (
    digest    TEXT    NOT NULL PRIMARY KEY,
    size      BIGINT  NOT NULL,
    last_seen BIGINT  NOT NULL,
    deleting  BOOLEAN NOT NULL DEFAULT FALSE
);
-- Finishing an interrupted sweep looks up the few rows being deleted.
CREATE INDEX blobs_deleting ON blobs (digest) WHERE deleting;

CREATE TABLE manifests (
    repo_id       BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest        TEXT   NOT NULL,
    media_type    TEXT   NOT NULL,
    artifact_type TEXT,
    subject       TEXT,
    content       BLOB   NOT NULL,
    image_size    BIGINT NOT NULL,
    pushed_at     BIGINT NOT NULL,
    PRIMARY KEY (repo_id, digest)
);
CREATE INDEX manifests_subject ON manifests (repo_id, subject);

CREATE TABLE tags (
    repo_id    BIGINT NOT NULL,
    name       TEXT   NOT NULL,
    digest     TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (repo_id, name),
    FOREIGN KEY (repo_id, digest) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
-- tagsOf, and the cascade when a manifest is deleted.
CREATE INDEX tags_digest ON tags (repo_id, digest);

CREATE TABLE manifest_blobs (
    repo_id         BIGINT NOT NULL,
    manifest_digest TEXT   NOT NULL,
    blob_digest     TEXT   NOT NULL REFERENCES blobs (digest),
    PRIMARY KEY (repo_id, manifest_digest, blob_digest),
    FOREIGN KEY (repo_id, manifest_digest) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
-- GC: "is this blob referenced by any manifest anywhere".
CREATE INDEX manifest_blobs_blob ON manifest_blobs (blob_digest);

-- No foreign key on child: deleting a child manifest an index still lists is the service's policy to allow or refuse
-- (it asks parentsOf), not a constraint error.
CREATE TABLE manifest_children (
    repo_id BIGINT NOT NULL,
    parent  TEXT   NOT NULL,
    child   TEXT   NOT NULL,
    PRIMARY KEY (repo_id, parent, child),
    FOREIGN KEY (repo_id, parent) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_children_child ON manifest_children (repo_id, child);

CREATE TABLE repository_blobs (
    repo_id   BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest    TEXT   NOT NULL REFERENCES blobs (digest) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (repo_id, digest)
);
CREATE INDEX repository_blobs_digest ON repository_blobs (digest);

CREATE TABLE uploads (
    upload_id  TEXT   NOT NULL PRIMARY KEY,
    repo_id    BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL
);
CREATE INDEX uploads_started_at ON uploads (started_at);
CREATE INDEX uploads_repo ON uploads (repo_id);
