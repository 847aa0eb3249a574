-- This deployment's identity (sqlite flavour; the same table as db/postgres/V6__deployment.sql): one row, made
-- with the schema. Registry tokens are signed with a key bound to it, so a token from another deployment that
-- happens to share the master key is refused. It is an identifier, not a secret.
CREATE TABLE deployment (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    deployment_id TEXT    NOT NULL
);
INSERT INTO deployment (id, deployment_id) VALUES (1, lower(hex(randomblob(16))));
