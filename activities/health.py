"""The health activity: proves a worker reaches the database it was given."""

from __future__ import annotations

import socket

import asyncpg
from temporalio import activity

from contracts.common import HealthCheckInput, HealthCheckResult


class HealthActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="check_database")
    async def check_database(self, _: HealthCheckInput) -> HealthCheckResult:
        async with self._pool.acquire() as conn:
            version = await conn.fetchval("SHOW server_version")
            applied = await conn.fetchval("SELECT count(*) FROM schema_migrations")
        return HealthCheckResult(
            database_ok=True,
            database_version=str(version),
            migrations_applied=int(applied),
            worker_identity=f"{socket.gethostname()}:{activity.info().task_queue}",
        )
