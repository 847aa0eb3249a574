-- The archive storage class (issue 9 §3); column-for-column identical across sqlite/postgres.
-- image_storage: an image's status (ACTIVE, ARCHIVED, ACTIVATING) and storage class (STANDARD, ARCHIVE) by
-- repository and digest. An image without a row is ACTIVE in STANDARD; the row goes with its manifest.
-- Times are epoch milliseconds; NULL until the image is first archived or restored.
CREATE TABLE image_storage (
    repo_id           BIGINT NOT NULL,
    digest            TEXT COLLATE "C"   NOT NULL,
    storage_class     TEXT   NOT NULL,
    image_status      TEXT   NOT NULL,
    last_archived_at  BIGINT,
    last_activated_at BIGINT,
    PRIMARY KEY (repo_id, digest),
    FOREIGN KEY (repo_id, digest) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
-- "Does an image that is not ARCHIVED reference this blob" joins manifest_blobs to this table by its key.

-- archived_blobs: blobs the blob store holds in its archive tier. The row goes with the blob record (GC removes
-- the record once no manifest references the blob, and deletes the bytes in either tier).
CREATE TABLE archived_blobs (
    digest      TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES blobs (digest) ON DELETE CASCADE,
    archived_at BIGINT NOT NULL
);
