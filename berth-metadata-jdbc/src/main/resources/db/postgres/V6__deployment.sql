-- This deployment's identity (postgres flavour; the same table as db/sqlite/V6__deployment.sql): one row, made
-- with the schema, shared by every node over this database. Registry tokens are signed with a key bound to it, so a
-- token from another deployment that happens to share the master key is refused. It is an identifier, not a secret,
-- so md5 of random() (available on every supported PostgreSQL version) is enough.
CREATE TABLE deployment (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    deployment_id TEXT    NOT NULL
);
INSERT INTO deployment (id, deployment_id) VALUES (1, md5(random()::text || clock_timestamp()::text));
