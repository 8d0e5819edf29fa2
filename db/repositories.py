"""The `repositories` table: what discovery learned about each repository and its index state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from contracts.lifecycle import RepoStatus
from db.repository_names import alias_of, current_name, rename_repository

_RECORD_COLUMNS = (
    "id, full_name, owner, name, default_branch, clone_url, html_url, description, primary_language, "
    "languages, frameworks, databases, repo_type, is_monorepo, packages, archived, fork, head_sha, "
    "last_commit_sha, last_indexed_at, indexed_embedding_model, last_investigated_sha, unfinished_index_shas, "
    "github_id, installation_id, inactive_reason"
)


@dataclass(frozen=True)
class RepositoryRecord:
    """One registered repository, as stored."""

    id: int
    full_name: str
    owner: str
    name: str
    default_branch: str
    clone_url: str | None
    html_url: str | None
    description: str | None
    primary_language: str | None
    languages: dict[str, int]
    frameworks: list[str]
    databases: list[str]
    repo_type: str | None
    is_monorepo: bool
    packages: list[str]
    archived: bool
    fork: bool
    head_sha: str | None
    last_commit_sha: str | None
    last_indexed_at: datetime | None
    indexed_embedding_model: str | None
    last_investigated_sha: str | None
    unfinished_index_shas: list[str]  # targets of index passes that started and never finished
    github_id: int | None = None  # GitHub's id: stable across renames and transfers
    installation_id: int | None = None
    inactive_reason: str | None = None  # why the App stopped working on it (removed, uninstalled...)

    @property
    def indexable(self) -> bool:
        """Archived repositories and forks are registered (flagged) but never indexed; nor are those
        the App no longer works on (removed from the installation, deleted...)."""
        return not self.archived and not self.fork and self.inactive_reason is None


@dataclass(frozen=True)
class RepositoryFacts:
    """What discovery knows about a repository: GitHub's metadata plus its profile."""

    full_name: str
    default_branch: str
    clone_url: str | None = None
    html_url: str | None = None
    description: str | None = None
    archived: bool = False
    fork: bool = False
    head_sha: str | None = None
    primary_language: str | None = None
    languages: dict[str, int] = field(default_factory=dict)
    frameworks: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    repo_type: str | None = None
    is_monorepo: bool = False
    packages: list[str] = field(default_factory=list)
    github_id: int | None = None


def _record(row: asyncpg.Record) -> RepositoryRecord:
    values: dict[str, Any] = {name: row[name] for name in RepositoryRecord.__dataclass_fields__}
    values["frameworks"] = list(values["frameworks"] or [])
    values["databases"] = list(values["databases"] or [])
    values["packages"] = list(values["packages"] or [])
    values["languages"] = dict(values["languages"] or {})
    values["unfinished_index_shas"] = list(values["unfinished_index_shas"] or [])
    return RepositoryRecord(**values)


class RepositoryStore:
    """Reads and upserts of `repositories`; every write is safe to repeat."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, full_name: str) -> RepositoryRecord | None:
        row = await self._pool.fetchrow(f"SELECT {_RECORD_COLUMNS} FROM repositories WHERE full_name = $1", full_name)
        return _record(row) if row else None

    async def list(self, *, indexable_only: bool = False) -> list[RepositoryRecord]:
        where = "WHERE NOT archived AND NOT fork AND inactive_reason IS NULL" if indexable_only else ""
        rows = await self._pool.fetch(f"SELECT {_RECORD_COLUMNS} FROM repositories {where} ORDER BY full_name")
        return [_record(row) for row in rows]

    async def upsert(
        self, facts: RepositoryFacts, *, installation_id: int | None = None, reactivate: bool = False
    ) -> tuple[RepositoryRecord, bool]:
        """Insert or refresh a repository from GitHub's answer; returns (row, True when it was new).

        GitHub answers with a repository's name of today, so a stored row with the same GitHub id
        under another name was renamed (an event that was missed): it is renamed here, with its
        data. Index and investigation state is left alone, and so is an operator's type override;
        a repository the App stopped working on stays stopped unless `reactivate` (it was given back),
        or unless the name now belongs to another repository (a new GitHub id: deleted and created again)."""
        owner, name = facts.full_name.split("/", 1)
        async with self._pool.acquire() as conn, conn.transaction():
            await self._follow_rename(
                conn, facts.github_id, facts.full_name, facts.clone_url, facts.html_url, current=True
            )
            await conn.execute("DELETE FROM repository_aliases WHERE full_name = $1", facts.full_name)
            row = await conn.fetchrow(
                f"""INSERT INTO repositories (full_name, owner, name, default_branch, clone_url, html_url,
                        description, archived, fork, head_sha, primary_language, languages, frameworks,
                        databases, repo_type, is_monorepo, packages, github_id, installation_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                    ON CONFLICT (full_name) DO UPDATE SET
                        default_branch = EXCLUDED.default_branch, clone_url = EXCLUDED.clone_url,
                        html_url = EXCLUDED.html_url, description = EXCLUDED.description,
                        archived = EXCLUDED.archived, fork = EXCLUDED.fork,
                        head_sha = coalesce(EXCLUDED.head_sha, repositories.head_sha),
                        primary_language = EXCLUDED.primary_language, languages = EXCLUDED.languages,
                        frameworks = EXCLUDED.frameworks, databases = EXCLUDED.databases,
                        repo_type = EXCLUDED.repo_type, is_monorepo = EXCLUDED.is_monorepo,
                        packages = EXCLUDED.packages,
                        github_id = coalesce(EXCLUDED.github_id, repositories.github_id),
                        installation_id = coalesce(EXCLUDED.installation_id, repositories.installation_id),
                        inactive_reason = CASE WHEN $20 OR repositories.github_id <> EXCLUDED.github_id
                            THEN NULL ELSE repositories.inactive_reason END,
                        inactive_since = CASE WHEN $20 OR repositories.github_id <> EXCLUDED.github_id
                            THEN NULL ELSE repositories.inactive_since END,
                        updated_at = now()
                    RETURNING {_RECORD_COLUMNS}, (xmax = 0) AS inserted""",
                facts.full_name,
                owner,
                name,
                facts.default_branch,
                facts.clone_url,
                facts.html_url,
                facts.description,
                facts.archived,
                facts.fork,
                facts.head_sha,
                facts.primary_language,
                facts.languages,
                facts.frameworks,
                facts.databases,
                facts.repo_type,
                facts.is_monorepo,
                facts.packages,
                facts.github_id,
                installation_id,
                reactivate,
            )
        return _record(row), bool(row["inserted"])

    async def ensure(
        self, full_name: str, default_branch: str, clone_url: str | None, github_id: int | None = None
    ) -> RepositoryRecord:
        """The repository's row, created with what is known when a push arrives before discovery.

        A former name finds the renamed row (work started before a rename); a name the row with
        `github_id` never had is a rename not yet applied, and is applied here."""
        async with self._pool.acquire() as conn, conn.transaction():
            await self._follow_rename(conn, github_id, full_name, clone_url, None, current=False)
            full_name = await current_name(conn, full_name)
            owner, _, name = full_name.partition("/")
            row = await conn.fetchrow(
                f"""INSERT INTO repositories (full_name, owner, name, default_branch, clone_url, github_id)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (full_name) DO UPDATE
                        SET clone_url = coalesce(repositories.clone_url, EXCLUDED.clone_url),
                            github_id = coalesce(repositories.github_id, EXCLUDED.github_id)
                    RETURNING {_RECORD_COLUMNS}""",
                full_name,
                owner,
                name or full_name,
                default_branch,
                clone_url,
                github_id,
            )
        return _record(row)

    async def status(self, github_id: int | None, full_name: str | None) -> RepoStatus | None:
        """What routing needs to know about a webhook's repository: found by GitHub id, name or former name."""
        row = await self._pool.fetchrow(
            """SELECT full_name, archived, inactive_reason FROM repositories
               WHERE github_id = $1 OR full_name = $2
                  OR id = (SELECT repository_id FROM repository_aliases WHERE full_name = $2)
               ORDER BY github_id = $1 IS TRUE DESC, full_name = $2 IS TRUE DESC LIMIT 1""",
            github_id,
            full_name,
        )
        if row is None:
            return None
        return RepoStatus(full_name=row["full_name"], archived=row["archived"], inactive_reason=row["inactive_reason"])

    @staticmethod
    async def _follow_rename(
        conn: asyncpg.Connection,
        github_id: int | None,
        full_name: str,
        clone_url: str | None,
        html_url: str | None,
        *,
        current: bool,
    ) -> None:
        """Rename the row with `github_id` to `full_name` when it has another name. Unless the name
        is known to be `current` (GitHub's answer), a former name of the row is an old event's and
        renames nothing."""
        if github_id is None:
            return
        stored = await conn.fetchrow("SELECT id, full_name FROM repositories WHERE github_id = $1", github_id)
        if stored is None or stored["full_name"] == full_name:
            return
        if not current and await alias_of(conn, full_name) == stored["id"]:
            return
        await rename_repository(
            conn, github_id=github_id, old=stored["full_name"], new=full_name, clone_url=clone_url, html_url=html_url
        )

    async def record_head(self, repository_id: int, commit_sha: str) -> None:
        """The default branch's head as a fetch just saw it: what the index and the impact facts
        are measured against (a review says when a repository's facts are older than this)."""
        await self._pool.execute(
            "UPDATE repositories SET head_sha = $2, updated_at = now() WHERE id = $1 AND head_sha IS DISTINCT FROM $2",
            repository_id,
            commit_sha,
        )

    async def mark_unfinished(self, repository_id: int, commit_sha: str) -> None:
        """Remember that a pass to `commit_sha` is starting; `record_indexed` forgets it."""
        await self._pool.execute(
            """UPDATE repositories SET unfinished_index_shas = array_append(unfinished_index_shas, $2)
               WHERE id = $1 AND NOT ($2 = ANY(unfinished_index_shas))""",
            repository_id,
            commit_sha,
        )


async def record_indexed(conn: asyncpg.Connection, repository_id: int, commit_sha: str, embedding_model: str) -> None:
    """Mark the index as true at `commit_sha`; called inside the transaction of the last batch."""
    await conn.execute(
        """UPDATE repositories SET last_commit_sha = $2, last_indexed_at = now(),
               indexed_embedding_model = $3, head_sha = coalesce(head_sha, $2),
               unfinished_index_shas = '{}', updated_at = now()
           WHERE id = $1""",
        repository_id,
        commit_sha,
        embedding_model,
    )
