-- The nodes serving this database (issue 11 §2), column-for-column identical across sqlite/postgres (the postgres
-- flavour also creates the cache-coherence triggers below). Each running
-- `berth serve` upserts its row every few seconds (last_seen_at) and deletes it on a graceful stop; a row that stops
-- moving is a node that died (kill -9, a lost host), shown as dead by `berth admin nodes` until it is pruned. Times
-- are epoch milliseconds. node_id is the job-lease owner name of the process, so `admin jobs` and `admin nodes`
-- name a node the same way.
CREATE TABLE nodes (
    node_id      TEXT   NOT NULL PRIMARY KEY,
    version      TEXT   NOT NULL,
    address      TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

-- Cache coherence across nodes (PostgreSQL only; SQLite is one node). Every change to what a node's read cache holds
-- (repository rows, tags, manifest deletes, image storage state) notifies channel berth_cache with
-- '<schema>:<repository id>' at commit; each node LISTENs and drops that repository's cached entries
-- (PostgresChangeFeed). Manifest updates are left out on purpose: the only one is last_pulled_at, on every pull, and
-- a manifest's content never changes. PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION berth_cache_notify_repo_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('berth_cache', current_schema() || ':' || OLD.repo_id);
    ELSE
        PERFORM pg_notify('berth_cache', current_schema() || ':' || NEW.repo_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION berth_cache_notify_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('berth_cache', current_schema() || ':' || OLD.id);
    ELSE
        PERFORM pg_notify('berth_cache', current_schema() || ':' || NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER repositories_cache AFTER INSERT OR UPDATE OR DELETE ON repositories
    FOR EACH ROW EXECUTE FUNCTION berth_cache_notify_id();
CREATE TRIGGER tags_cache AFTER INSERT OR UPDATE OR DELETE ON tags
    FOR EACH ROW EXECUTE FUNCTION berth_cache_notify_repo_id();
CREATE TRIGGER manifests_cache AFTER DELETE ON manifests
    FOR EACH ROW EXECUTE FUNCTION berth_cache_notify_repo_id();
CREATE TRIGGER image_storage_cache AFTER INSERT OR UPDATE OR DELETE ON image_storage
    FOR EACH ROW EXECUTE FUNCTION berth_cache_notify_repo_id();
