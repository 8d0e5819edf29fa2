-- 009: what each repository's code uses of others (HTTP calls, topics, tables, package imports and
-- dependencies), read at one commit by IndexRepo and matched by ReviewPR against what a pull request
-- changes at its edges (domain/impact). One row per (repository, commit, schema version); `paths`
-- lists the files that can declare edges at that commit, so a review knows which unchanged files
-- of the repository to read for context without listing its tree. Older rows of a repository are
-- dropped when a newer one is written.

CREATE TABLE IF NOT EXISTS impact_facts (
    repository_id  BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    commit_sha     TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    facts          JSONB NOT NULL,
    paths          TEXT[] NOT NULL DEFAULT '{}',
    files_read     INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, commit_sha, schema_version)
);
CREATE INDEX IF NOT EXISTS impact_facts_latest ON impact_facts (repository_id, schema_version, created_at DESC);
