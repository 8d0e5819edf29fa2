"""The webhook inbox (`webhook_deliveries`): every authentic delivery, before anything is started."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import asyncpg

DeliveryStatus = Literal["received", "started", "ignored", "pending", "failed"]


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    source: str
    event: str
    action: str | None
    repository: str | None
    received_at: datetime
    payload: Any
    status: DeliveryStatus
    reason: str | None
    workflow_ids: list[str]
    error: str | None
    attempts: int


def _delivery(row: asyncpg.Record) -> Delivery:
    return Delivery(**{name: row[name] for name in Delivery.__dataclass_fields__})


_COLUMNS = ", ".join(Delivery.__dataclass_fields__)


class DeliveryRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def record(
        self, delivery_id: str, source: str, event: str, action: str | None, repository: str | None, payload: Any
    ) -> tuple[Delivery, bool]:
        """Insert a new delivery; returns (row, True), or the existing row and False for a repeat."""
        row = await self._pool.fetchrow(
            f"""INSERT INTO webhook_deliveries (delivery_id, source, event, action, repository, payload, status)
                VALUES ($1, $2, $3, $4, $5, $6, 'received')
                ON CONFLICT (delivery_id) DO NOTHING
                RETURNING {_COLUMNS}""",
            delivery_id,
            source,
            event,
            action,
            repository,
            payload,
        )
        if row is not None:
            return _delivery(row), True
        existing = await self.get(delivery_id)
        if existing is None:  # deleted between the two statements: treat as new next time
            raise LookupError(delivery_id)
        return existing, False

    async def get(self, delivery_id: str) -> Delivery | None:
        row = await self._pool.fetchrow(
            f"SELECT {_COLUMNS} FROM webhook_deliveries WHERE delivery_id = $1", delivery_id
        )
        return _delivery(row) if row else None

    async def mark(
        self,
        delivery_id: str,
        status: DeliveryStatus,
        *,
        workflow_ids: list[str] | None = None,
        reason: str | None = None,
        error: str | None = None,
    ) -> None:
        await self._pool.execute(
            """UPDATE webhook_deliveries
               SET status = $2, workflow_ids = coalesce($3, workflow_ids), reason = coalesce($4, reason),
                   error = $5, attempts = attempts + CASE WHEN $2 IN ('started', 'pending', 'failed') THEN 1 ELSE 0 END,
                   updated_at = now()
               WHERE delivery_id = $1""",
            delivery_id,
            status,
            workflow_ids,
            reason,
            error,
        )

    async def claim_open(self, conn: asyncpg.Connection, older_than_seconds: float, limit: int) -> list[Delivery]:
        """Lock open deliveries for replay (inside the caller's transaction); concurrent replayers skip them.

        'received' rows count only once they are older than the grace period: a younger one is
        still being handled by the API request that recorded it.
        """
        rows = await conn.fetch(
            f"""SELECT {_COLUMNS} FROM webhook_deliveries
                WHERE status = 'pending'
                   OR (status = 'received' AND received_at < now() - make_interval(secs => $1))
                ORDER BY received_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED""",
            older_than_seconds,
            limit,
        )
        return [_delivery(r) for r in rows]

    async def claim_one(self, conn: asyncpg.Connection, delivery_id: str) -> Delivery | None:
        """Lock one delivery a person asked to replay (pending, failed or received); None when it is
        not replayable or another replay holds it."""
        row = await conn.fetchrow(
            f"""SELECT {_COLUMNS} FROM webhook_deliveries
                WHERE delivery_id = $1 AND status IN ('pending', 'failed', 'received')
                FOR UPDATE SKIP LOCKED""",
            delivery_id,
        )
        return _delivery(row) if row else None
