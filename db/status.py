"""Counts for `GET /admin/status` and `pr-agent status`, whether the schema is up to date, and small
repository look-ups."""

from __future__ import annotations

from typing import Any

import asyncpg

_COUNTS = {
    "repositories": "SELECT count(*) FROM repositories",
    "indexed_repositories": "SELECT count(*) FROM repositories WHERE last_indexed_at IS NOT NULL",
    "investigated_repositories": "SELECT count(*) FROM repositories WHERE last_investigated_at IS NOT NULL",
    "code_chunks": "SELECT count(*) FROM code_chunks",
    "jira_tickets": "SELECT count(*) FROM jira_tickets WHERE NOT deleted",
    "internal_packages": "SELECT count(*) FROM internal_packages",
    "reviews": "SELECT count(*) FROM review_history WHERE review_type = 'review'",
    "github_activity": "SELECT count(*) FROM github_activity",
    "api_usage_cost_usd_this_month": (
        "SELECT coalesce(sum(cost_usd), 0)::float FROM api_usage WHERE created_at >= date_trunc('month', now())"
    ),
}


class StatusRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def counts(self) -> dict[str, Any]:
        async with self._pool.acquire() as conn:
            result: dict[str, Any] = {name: await conn.fetchval(sql) for name, sql in _COUNTS.items()}
            rows = await conn.fetch("SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status")
        result["deliveries"] = {r["status"]: r["n"] for r in rows}
        return result

    async def default_branch(self, full_name: str) -> str | None:
        value = await self._pool.fetchval("SELECT default_branch FROM repositories WHERE full_name = $1", full_name)
        return str(value) if value is not None else None


async def pending_migrations(pool: asyncpg.Pool | asyncpg.Connection) -> list[str]:
    """Migration files not applied to this database yet (all of them when it was never migrated)."""
    from db.migrate import discover

    wanted = discover()
    if await pool.fetchval("SELECT to_regclass('schema_migrations') IS NULL"):
        return [m.name for m in wanted]
    applied = {str(v) for v in await pool.fetchval("SELECT coalesce(array_agg(version), '{}') FROM schema_migrations")}
    return [m.name for m in wanted if m.version not in applied]
