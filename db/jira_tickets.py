"""Jira tickets as stored for review context and retrieval."""

from __future__ import annotations

import asyncpg

from domain.jira_issue import TicketRecord

_COLUMNS = tuple(TicketRecord.__dataclass_fields__)


class JiraTicketRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, key: str) -> TicketRecord | None:
        row = await self._pool.fetchrow(f"SELECT {', '.join(_COLUMNS)} FROM jira_tickets WHERE key = $1", key)
        return TicketRecord(**dict(row)) if row else None

    async def upsert(self, ticket: TicketRecord, embedding: list[float] | None = None) -> bool:
        """Insert or update; an older state than the stored one is ignored (newest wins). True if written."""
        values = [getattr(ticket, name) for name in _COLUMNS]
        placeholders = ", ".join(f"${i}" for i in range(1, len(_COLUMNS) + 1))
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS if name != "key")
        columns = ", ".join(_COLUMNS)
        status = await self._pool.execute(
            f"""INSERT INTO jira_tickets ({columns}, embedding) VALUES ({placeholders}, ${len(_COLUMNS) + 1})
                ON CONFLICT (key) DO UPDATE SET {updates},
                    embedding = coalesce(EXCLUDED.embedding, jira_tickets.embedding), synced_at = now()
                WHERE jira_tickets.jira_updated_at IS NULL OR EXCLUDED.jira_updated_at IS NULL
                   OR EXCLUDED.jira_updated_at >= jira_tickets.jira_updated_at""",
            *values,
            embedding,
        )
        return status.endswith("1")
