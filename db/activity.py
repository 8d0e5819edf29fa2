"""The `github_activity` table: pushed commits and pull requests, one row per (repository, type, id).

Rows come from webhooks (push commits) and from history syncs; both upsert on the original
design's unique key, so recording the same commit or PR twice updates it instead of adding a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import asyncpg

ActivityType = Literal["commit", "pull_request"]


@dataclass(frozen=True)
class ActivityRecord:
    """One commit (external_id: its sha) or pull request (external_id: its number)."""

    repository: str
    activity_type: ActivityType
    external_id: str
    author: str | None = None
    title: str | None = None
    url: str | None = None
    branch: str | None = None
    occurred_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)


_UPSERT = """
    INSERT INTO github_activity (repository, activity_type, external_id, author, title, url, branch,
                                 occurred_at, data)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (repository, activity_type, external_id) DO UPDATE SET
        author = coalesce(EXCLUDED.author, github_activity.author),
        title = coalesce(EXCLUDED.title, github_activity.title),
        url = coalesce(EXCLUDED.url, github_activity.url),
        branch = coalesce(EXCLUDED.branch, github_activity.branch),
        occurred_at = coalesce(EXCLUDED.occurred_at, github_activity.occurred_at),
        data = github_activity.data || EXCLUDED.data,
        recorded_at = now()
"""


async def upsert_activity(pool: asyncpg.Pool, records: Sequence[ActivityRecord]) -> int:
    """Record activity in one batch (executemany); returns how many records were given."""
    if not records:
        return 0
    rows = [
        (r.repository, r.activity_type, r.external_id, r.author, r.title, r.url, r.branch, r.occurred_at, r.data)
        for r in records
    ]
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(_UPSERT, rows)
    return len(rows)


async def list_activity(pool: asyncpg.Pool, repository: str) -> list[ActivityRecord]:
    """A repository's recorded activity, newest first."""
    rows = await pool.fetch(
        """SELECT repository, activity_type, external_id, author, title, url, branch, occurred_at, data
           FROM github_activity WHERE repository = $1
           ORDER BY occurred_at DESC NULLS LAST, activity_type, external_id""",
        repository,
    )
    return [ActivityRecord(**{name: row[name] for name in ActivityRecord.__dataclass_fields__}) for row in rows]
