-- 007: the App's life cycle. GitHub's repository id is stable across renames and transfers, so a
-- renamed repository keeps its row (and its index) instead of getting a second one under the new
-- name; filled at registration and discovery, and by webhooks that carry it.
-- installation_id: the GitHub App installation a repository was given with (an installation-wide
-- suspend / unsuspend / uninstall reaches it). inactive_reason: why the App stopped working on a
-- repository (removed from the installation, uninstalled, suspended, deleted on GitHub); its data is
-- kept, and nothing is indexed, investigated or reviewed until it is given back.
-- repository_aliases: former names of renamed repositories, so work still running under an old name
-- lands on the same row.

ALTER TABLE repositories ADD COLUMN IF NOT EXISTS github_id BIGINT UNIQUE;
ALTER TABLE repositories ADD COLUMN IF NOT EXISTS installation_id BIGINT;
ALTER TABLE repositories ADD COLUMN IF NOT EXISTS inactive_reason TEXT;
ALTER TABLE repositories ADD COLUMN IF NOT EXISTS inactive_since TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS repositories_installation ON repositories (installation_id)
    WHERE installation_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS repository_aliases (
    full_name     TEXT PRIMARY KEY,
    repository_id BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    renamed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS repository_aliases_by_repository ON repository_aliases (repository_id);
