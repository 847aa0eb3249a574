-- Lifecycle policies, one per repository (issue 9 §2); column-for-column identical across sqlite/postgres.
-- policy_text is stored as submitted (ECR returns it verbatim); the server validates it before writing.
-- The row goes with its repository (ON DELETE CASCADE), so DeleteRepository needs no extra step.
-- Times are epoch milliseconds; last_evaluated_at stays NULL until the first evaluation.
CREATE TABLE lifecycle_policies (
    repo_id           BIGINT NOT NULL PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    policy_text       TEXT   NOT NULL,
    updated_at        BIGINT NOT NULL,
    last_evaluated_at BIGINT
);
