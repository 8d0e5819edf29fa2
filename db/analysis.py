"""Finished architecture documents (`repo_analysis_cache`) and what reviews read from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from db.repository_names import current_name
from domain.investigation.document import related_repos_summary, review_context_summary


@dataclass(frozen=True)
class AnalysisKey:
    repository: str
    commit_sha: str
    prompt_set_version: str
    model: str


@dataclass(frozen=True)
class StoredAnalysis:
    repository: str
    commit_sha: str
    prompt_set: str
    prompt_set_version: str
    model: str
    document: str
    structured: dict[str, Any]
    created_at: datetime

    @property
    def complete(self) -> bool:
        """Every step has an answer: nothing was skipped for want of an LLM or after failures."""
        return not self.structured.get("skipped")


@dataclass(frozen=True)
class RepositoryFacts:
    """What an investigation learnt about a repository, kept on its `repositories` row."""

    full_name: str
    default_branch: str
    clone_url: str | None
    repo_type: str
    primary_language: str | None
    frameworks: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)


_COLUMNS = """r.full_name AS repository, a.commit_sha, a.prompt_set, a.prompt_set_version, a.model,
              a.document, a.structured, a.created_at"""


def _analysis(row: asyncpg.Record) -> StoredAnalysis:
    return StoredAnalysis(**dict(row))


class AnalysisRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def find(self, key: AnalysisKey) -> StoredAnalysis | None:
        row = await self._pool.fetchrow(
            f"""SELECT {_COLUMNS} FROM repo_analysis_cache a JOIN repositories r ON r.id = a.repository_id
                WHERE r.full_name = $1 AND a.commit_sha = $2 AND a.prompt_set_version = $3 AND a.model = $4""",
            key.repository,
            key.commit_sha,
            key.prompt_set_version,
            key.model,
        )
        return _analysis(row) if row is not None else None

    async def latest(self, repositories: Sequence[str] = ()) -> list[StoredAnalysis]:
        """The newest analysis of each repository (of those named, or of all), by name."""
        rows = await self._pool.fetch(
            f"""SELECT DISTINCT ON (r.full_name) {_COLUMNS}
                FROM repo_analysis_cache a JOIN repositories r ON r.id = a.repository_id
                WHERE cardinality($1::text[]) = 0 OR r.full_name = ANY($1::text[])
                ORDER BY r.full_name, a.created_at DESC, a.id DESC""",
            list(repositories),
        )
        return [_analysis(row) for row in rows]

    async def save(
        self, key: AnalysisKey, facts: RepositoryFacts, prompt_set: str, document: str, structured: dict[str, Any]
    ) -> int:
        """Store the document (replacing one with the same key) and the facts, in one transaction."""
        async with self._pool.acquire() as conn, conn.transaction():
            repository_id = await _upsert_repository(conn, facts, key.commit_sha)
            return int(
                await conn.fetchval(
                    """INSERT INTO repo_analysis_cache (repository_id, commit_sha, prompt_set, prompt_set_version,
                           model, document, structured)
                       VALUES ($1, $2, $3, $4, $5, $6, $7)
                       ON CONFLICT (repository_id, commit_sha, prompt_set_version, model) DO UPDATE
                       SET document = EXCLUDED.document, structured = EXCLUDED.structured,
                           prompt_set = EXCLUDED.prompt_set, created_at = now()
                       RETURNING id""",
                    repository_id,
                    key.commit_sha,
                    prompt_set,
                    key.prompt_set_version,
                    key.model,
                    document,
                    structured,
                )
            )


async def _upsert_repository(conn: asyncpg.Connection, facts: RepositoryFacts, commit_sha: str) -> int:
    full_name = await current_name(conn, facts.full_name)  # an investigation started before a rename
    owner, _, name = full_name.partition("/")
    return int(
        await conn.fetchval(
            """INSERT INTO repositories (full_name, owner, name, default_branch, clone_url, repo_type,
                   primary_language, frameworks, databases, is_monorepo, packages,
                   last_investigated_sha, last_investigated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $6 = 'monorepo', $10, $11, now())
               ON CONFLICT (full_name) DO UPDATE
               SET repo_type = EXCLUDED.repo_type, primary_language = EXCLUDED.primary_language,
                   frameworks = EXCLUDED.frameworks, databases = EXCLUDED.databases,
                   is_monorepo = EXCLUDED.is_monorepo, packages = EXCLUDED.packages,
                   clone_url = coalesce(repositories.clone_url, EXCLUDED.clone_url),
                   last_investigated_sha = EXCLUDED.last_investigated_sha,
                   last_investigated_at = now(), updated_at = now()
               RETURNING id""",
            full_name,
            owner,
            name or full_name,
            facts.default_branch,
            facts.clone_url,
            facts.repo_type,
            facts.primary_language,
            facts.frameworks,
            facts.databases,
            facts.packages,
            commit_sha,
        )
    )


async def latest_structured_forms(pool: asyncpg.Pool) -> dict[str, dict[str, Any]]:
    """{repository: structured form of its newest analysis} for every investigated repository
    (documents are left in the database: a review reads every repository's form, not its prose)."""
    rows = await pool.fetch(
        """SELECT DISTINCT ON (r.full_name) r.full_name, a.structured
           FROM repo_analysis_cache a JOIN repositories r ON r.id = a.repository_id
           ORDER BY r.full_name, a.created_at DESC, a.id DESC"""
    )
    return {row["full_name"]: row["structured"] for row in rows}


def known_topics(forms: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Every messaging topic the investigated repositories publish or subscribe to, sorted."""
    found: dict[str, set[str]] = {"published": set(), "subscribed": set()}
    for form in forms.values():
        topics = form.get("topics") or {}
        for kind, names in found.items():
            names.update(str(name) for name in topics.get(kind) or [])
    return {kind: sorted(names) for kind, names in found.items()}


async def load_review_architecture(pool: asyncpg.Pool, repository: str) -> tuple[str | None, str | None]:
    """ReviewPR's architecture context: (a compact summary of the repository's newest analysis,
    a note on the known repositories it depends on or is called by), or (None, None) when the
    repository has not been investigated yet."""
    forms = await latest_structured_forms(pool)
    this = forms.get(repository)
    if this is None:
        return None, None
    return review_context_summary(this), related_repos_summary(repository, forms, this)
