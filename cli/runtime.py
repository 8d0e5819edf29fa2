"""What a long-running command (a worker, a replay) needs: database, Temporal client, stop signal."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from temporalio.client import Client

from core.settings import Settings
from core.telemetry import tracing_interceptors
from core.temporal.client import connect
from db.embedded import resolve_database
from db.pool import create_pool


@dataclass
class Runtime:
    pool: asyncpg.Pool
    client: Client
    stop: asyncio.Event


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    database = await asyncio.to_thread(resolve_database, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        pool = await create_pool(database.dsn, settings.database)
        try:
            yield Runtime(pool, await connect(settings.temporal, tracing_interceptors()), stop)
        finally:
            await pool.close()
    finally:
        database.close()
