"""`impact_facts`: what each repository's code uses of others, per (repository, commit, schema version).

IndexRepo writes a row after each pass; ReviewPR reads every repository's newest row and compares
its commit with the repository's default-branch head (`repositories.head_sha`), so a review can
say which consumers it could not see, or saw only as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg


@dataclass(frozen=True)
class StoredFacts:
    """One repository's facts at one commit (`facts` as `facts_to_json` wrote them)."""

    repository: str
    commit_sha: str
    facts: dict[str, Any]
    paths: tuple[str, ...]  # files that can declare edges at that commit
    files_read: int


@dataclass(frozen=True)
class FactsState:
    """A repository a review must account for: its default-branch head, and the commit of its
    newest facts of the wanted schema version (None when it has none)."""

    repository: str
    head_sha: str | None
    facts_commit: str | None


class ImpactFactsStore:
    """Reads and writes of `impact_facts`; writing the same row again is harmless."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def latest(self, repository_id: int, schema_version: int) -> StoredFacts | None:
        row = await self._pool.fetchrow(
            """SELECT r.full_name AS repository, f.commit_sha, f.facts, f.paths, f.files_read
               FROM impact_facts f JOIN repositories r ON r.id = f.repository_id
               WHERE f.repository_id = $1 AND f.schema_version = $2
               ORDER BY f.created_at DESC LIMIT 1""",
            repository_id,
            schema_version,
        )
        return _stored(row) if row else None

    async def save(
        self,
        repository_id: int,
        commit_sha: str,
        schema_version: int,
        facts: Mapping[str, Any],
        paths: Sequence[str],
        files_read: int,
    ) -> None:
        """Store the facts at `commit_sha` and drop the repository's older rows (one transaction)."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO impact_facts (repository_id, commit_sha, schema_version, facts, paths, files_read)
                   VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (repository_id, commit_sha, schema_version) DO UPDATE SET
                       facts = EXCLUDED.facts, paths = EXCLUDED.paths,
                       files_read = EXCLUDED.files_read, created_at = now()""",
                repository_id,
                commit_sha,
                schema_version,
                dict(facts),
                list(paths),
                files_read,
            )
            # Rows of newer schema versions stay: a newer worker of a rolling deploy wrote them.
            await conn.execute(
                """DELETE FROM impact_facts WHERE repository_id = $1 AND schema_version <= $3
                       AND NOT (commit_sha = $2 AND schema_version = $3)""",
                repository_id,
                commit_sha,
                schema_version,
            )

    async def states(self, schema_version: int) -> list[FactsState]:
        """Every repository that is indexed or could be (not archived, not a fork), by name."""
        rows = await self._pool.fetch(
            """SELECT r.full_name, r.head_sha, latest.commit_sha
               FROM repositories r
               LEFT JOIN LATERAL (
                   SELECT f.commit_sha FROM impact_facts f
                   WHERE f.repository_id = r.id AND f.schema_version = $1
                   ORDER BY f.created_at DESC LIMIT 1
               ) latest ON true
               WHERE NOT r.archived AND NOT r.fork
               ORDER BY r.full_name""",
            schema_version,
        )
        return [FactsState(r["full_name"], r["head_sha"], r["commit_sha"]) for r in rows]

    async def load(self, keys: Sequence[tuple[str, str]], schema_version: int) -> list[StoredFacts]:
        """The facts of these (repository, commit) pairs, those still stored."""
        if not keys:
            return []
        rows = await self._pool.fetch(
            """SELECT r.full_name AS repository, f.commit_sha, f.facts, f.paths, f.files_read
               FROM impact_facts f JOIN repositories r ON r.id = f.repository_id
               JOIN unnest($1::text[], $2::text[]) AS k(repository, commit_sha)
                    ON k.repository = r.full_name AND k.commit_sha = f.commit_sha
               WHERE f.schema_version = $3""",
            [k[0] for k in keys],
            [k[1] for k in keys],
            schema_version,
        )
        return [_stored(row) for row in rows]


def _stored(row: asyncpg.Record) -> StoredFacts:
    return StoredFacts(
        repository=row["repository"],
        commit_sha=row["commit_sha"],
        facts=dict(row["facts"]),
        paths=tuple(row["paths"] or ()),
        files_read=row["files_read"],
    )
