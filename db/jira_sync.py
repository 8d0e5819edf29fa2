"""Project-sync bookkeeping around `jira_tickets`: watermarks, known projects, tombstones."""

from __future__ import annotations

from datetime import datetime

import asyncpg


class JiraSyncState:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def now(self) -> datetime:
        """The database's clock: `synced_at` is written by it, so comparisons with it must use it too."""
        value: datetime = await self._pool.fetchval("SELECT now()")
        return value

    async def last_synced(self, project_key: str) -> datetime | None:
        value: datetime | None = await self._pool.fetchval(
            "SELECT last_synced_at FROM jira_sync_state WHERE project_key = $1", project_key
        )
        return value

    async def save(self, project_key: str, synced_to: datetime) -> None:
        """Move the watermark forward only: a late, slower sync never rewinds it."""
        await self._pool.execute(
            """INSERT INTO jira_sync_state (project_key, last_synced_at) VALUES ($1, $2)
               ON CONFLICT (project_key) DO UPDATE
                   SET last_synced_at = greatest(jira_sync_state.last_synced_at, EXCLUDED.last_synced_at)""",
            project_key,
            synced_to,
        )

    async def known_projects(self) -> list[str]:
        """Projects seen in tickets or synced before: what a full sync without a list covers."""
        rows = await self._pool.fetch(
            """SELECT project_key FROM jira_tickets UNION SELECT project_key FROM jira_sync_state
               ORDER BY 1"""
        )
        return [row["project_key"] for row in rows]

    async def flag_unseen(self, project_key: str, synced_since: datetime) -> list[str]:
        """After a complete full sync: tickets it did not touch no longer exist in Jira."""
        rows = await self._pool.fetch(
            """UPDATE jira_tickets SET deleted = true, synced_at = now()
               WHERE project_key = $1 AND synced_at < $2 AND NOT deleted
               RETURNING key""",
            project_key,
            synced_since,
        )
        return sorted(row["key"] for row in rows)
