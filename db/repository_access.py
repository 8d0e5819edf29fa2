"""Whether the App works on a repository: given to it (installation), taken away, archived, deleted.

Nothing is deleted here: a repository the App stops working on keeps its index, analyses and
review history; `inactive_reason` says why it is skipped, and registration clears it when the
repository is given back (`RepositoryStore.upsert(..., reactivate=True)`).
"""

from __future__ import annotations

import asyncpg

from contracts.lifecycle import RepoRef

# A repository named by an event: by GitHub id, or by name when its row predates stored ids.
_NAMED = """(github_id = ANY($1::bigint[]) OR (github_id IS NULL AND full_name = ANY($2::text[])))"""


def _ids_and_names(repositories: list[RepoRef]) -> tuple[list[int], list[str]]:
    return [r.github_id for r in repositories if r.github_id is not None], [r.full_name for r in repositories]


class RepositoryAccessStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def deactivate(
        self, repositories: list[RepoRef], installation_id: int | None, reason: str, *, detach: bool
    ) -> list[str]:
        """Stop working on the repositories named, and on every one of `installation_id` (when
        given); `detach`: they leave that installation. Returns the names changed."""
        ids, names = _ids_and_names(repositories)
        rows = await self._pool.fetch(
            f"""UPDATE repositories SET inactive_reason = $4,
                    inactive_since = CASE WHEN inactive_reason IS NULL THEN now() ELSE inactive_since END,
                    installation_id = CASE WHEN $5 THEN NULL ELSE installation_id END, updated_at = now()
                WHERE {_NAMED} OR ($3::bigint IS NOT NULL AND installation_id = $3)
                RETURNING full_name""",
            ids,
            names,
            installation_id,
            reason,
            detach,
        )
        return sorted(row["full_name"] for row in rows)

    async def archive(self, repositories: list[RepoRef]) -> list[str]:
        """Archived on GitHub: flagged, not indexed or reviewed until registration sees it unarchived."""
        ids, names = _ids_and_names(repositories)
        rows = await self._pool.fetch(
            f"UPDATE repositories SET archived = true, updated_at = now() WHERE {_NAMED} RETURNING full_name",
            ids,
            names,
        )
        return sorted(row["full_name"] for row in rows)

    async def of_installation(self, installation_id: int) -> list[str]:
        rows = await self._pool.fetch(
            "SELECT full_name FROM repositories WHERE installation_id = $1 ORDER BY full_name", installation_id
        )
        return [row["full_name"] for row in rows]
