-- Upload sessions of KMS repositories, sealed as they stream in (issue 11 §3). Column-for-column identical across
-- sqlite/postgres. The session's data key wrapped under the repository's KMS key, the sealed file's header, the count
-- of full segments in the session's bytes and the sealed plaintext after them; writer/claimed_at: the one append or
-- commit (of any node) writing it now. Deleted with its upload row. Times are epoch milliseconds.
CREATE TABLE envelope_uploads (
    upload_id  TEXT   NOT NULL PRIMARY KEY REFERENCES uploads (upload_id) ON DELETE CASCADE,
    form       TEXT   NOT NULL,
    key_arn    TEXT   NOT NULL,
    inner_key  BYTEA   NOT NULL,
    header     BYTEA   NOT NULL,
    segments   BIGINT NOT NULL,
    tail       BYTEA   NOT NULL,
    writer     TEXT,
    claimed_at BIGINT,
    created_at BIGINT NOT NULL
);
