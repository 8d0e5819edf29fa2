"""Read models of the dashboard's repositories, deliveries and rules pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from db.knowledge import web_url

DELIVERY_PAGE_SIZE = 200


@dataclass(frozen=True)
class RepositoryRow:
    full_name: str
    default_branch: str
    repo_type: str | None
    primary_language: str | None
    archived: bool
    fork: bool
    head_sha: str | None
    last_commit_sha: str | None
    last_indexed_at: datetime | None
    last_investigated_sha: str | None
    last_investigated_at: datetime | None
    unfinished_index_shas: list[str]
    chunks: int
    analysis_model: str | None
    web_url: str | None

    @property
    def index_behind(self) -> bool:
        """The default branch moved since the last index (or it was never indexed)."""
        return self.last_commit_sha is None or (self.head_sha is not None and self.head_sha != self.last_commit_sha)


_REPOSITORY_SQL = """
    SELECT r.full_name, r.default_branch, r.repo_type, r.primary_language, r.archived, r.fork, r.head_sha,
           r.last_commit_sha, r.last_indexed_at, r.last_investigated_sha, r.last_investigated_at,
           r.unfinished_index_shas, coalesce(c.n, 0) AS chunks, a.model AS analysis_model, r.html_url, r.clone_url
    FROM repositories r
    LEFT JOIN (SELECT repository_id, count(*) AS n FROM code_chunks GROUP BY repository_id) c
           ON c.repository_id = r.id
    LEFT JOIN LATERAL (SELECT model FROM repo_analysis_cache WHERE repository_id = r.id
                       ORDER BY created_at DESC, id DESC LIMIT 1) a ON true"""


def _repository(row: asyncpg.Record) -> RepositoryRow:
    values: dict[str, Any] = {name: row[name] for name in list(RepositoryRow.__dataclass_fields__)[:-1]}
    values["unfinished_index_shas"] = list(values["unfinished_index_shas"] or [])
    return RepositoryRow(**values, web_url=web_url(row["html_url"], row["clone_url"]))


async def repositories(pool: asyncpg.Pool) -> list[RepositoryRow]:
    rows = await pool.fetch(f"{_REPOSITORY_SQL} ORDER BY r.full_name")
    return [_repository(row) for row in rows]


async def repository(pool: asyncpg.Pool, full_name: str) -> RepositoryRow | None:
    row = await pool.fetchrow(f"{_REPOSITORY_SQL} WHERE r.full_name = $1", full_name)
    return _repository(row) if row else None


async def chunk_languages(pool: asyncpg.Pool, full_name: str) -> dict[str, int]:
    rows = await pool.fetch(
        """SELECT c.language, count(*) AS n FROM code_chunks c JOIN repositories r ON r.id = c.repository_id
           WHERE r.full_name = $1 GROUP BY c.language ORDER BY n DESC, c.language""",
        full_name,
    )
    return {r["language"]: r["n"] for r in rows}


@dataclass(frozen=True)
class DeliveryRow:
    delivery_id: str
    source: str
    event: str
    action: str | None
    repository: str | None
    received_at: datetime
    status: str
    reason: str | None
    error: str | None
    attempts: int
    updated_at: datetime


async def open_deliveries(pool: asyncpg.Pool) -> list[DeliveryRow]:
    """Deliveries a person may need to act on: pending, failed, or received and never started."""
    columns = ", ".join(DeliveryRow.__dataclass_fields__)
    rows = await pool.fetch(
        f"""SELECT {columns} FROM webhook_deliveries WHERE status IN ('pending', 'failed', 'received')
            ORDER BY received_at DESC LIMIT $1""",
        DELIVERY_PAGE_SIZE,
    )
    return [DeliveryRow(**dict(row)) for row in rows]


async def delivery_counts(pool: asyncpg.Pool) -> dict[str, int]:
    rows = await pool.fetch("SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status")
    return {r["status"]: r["n"] for r in rows}


@dataclass(frozen=True)
class RuleCounts:
    found: dict[str, int]  # findings per rule id in recorded reviews
    posted: dict[str, int]  # inline comments posted per rule id
    reviews_without_rule_data: int  # reviews recorded before per-rule counts were kept


async def rule_counts(pool: asyncpg.Pool) -> RuleCounts:
    async with pool.acquire() as conn:
        found = await conn.fetch(
            """SELECT key AS rule_id, sum(value::int) AS n FROM review_history, jsonb_each_text(findings_by_rule)
               WHERE review_type = 'review' GROUP BY key"""
        )
        posted = await conn.fetch(
            "SELECT rule_id, count(*) AS n FROM posted_findings WHERE rule_id IS NOT NULL GROUP BY rule_id"
        )
        older = await conn.fetchval(
            """SELECT count(*) FROM review_history
               WHERE review_type = 'review' AND findings_total > 0 AND findings_by_rule = '{}'::jsonb"""
        )
    return RuleCounts(
        {r["rule_id"]: int(r["n"]) for r in found}, {r["rule_id"]: int(r["n"]) for r in posted}, int(older)
    )
