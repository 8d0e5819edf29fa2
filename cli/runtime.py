"""What a long-running command (a worker, a replay) needs: database, Temporal client, stop signal."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from temporalio.client import Client

from cli.common import existing_database, temporal_client
from core.settings import Settings
from core.telemetry import tracing_interceptors
from db.pool import create_pool


@dataclass
class Runtime:
    pool: asyncpg.Pool
    client: Client
    stop: asyncio.Event


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with existing_database(settings) as dsn:
        pool = await create_pool(dsn, settings.database)
        try:
            yield Runtime(pool, await temporal_client(settings, tracing_interceptors()), stop)
        finally:
            await pool.close()
