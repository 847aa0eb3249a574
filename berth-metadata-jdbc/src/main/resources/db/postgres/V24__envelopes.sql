-- Envelope encryption of KMS repositories' blobs (issue 11 §3). Column-for-column identical across sqlite/postgres.
-- One sealed copy per plaintext digest and form (KMS, KMS_DSSE), stored in the blob store under the digest of its
-- ciphertext; its data key wrapped once per KMS key of the repositories that hold it. Times are epoch milliseconds.
CREATE TABLE envelope_blobs (
    digest        TEXT   NOT NULL,
    form          TEXT   NOT NULL,
    sealed_digest TEXT   NOT NULL,
    size          BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (digest, form)
);

CREATE TABLE envelope_wrappings (
    digest     TEXT   NOT NULL,
    form       TEXT   NOT NULL,
    key_arn    TEXT   NOT NULL,
    inner_key  BYTEA   NOT NULL,
    outer_key  BYTEA   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (digest, form, key_arn),
    FOREIGN KEY (digest, form) REFERENCES envelope_blobs (digest, form) ON DELETE CASCADE
);
